import type { Tenant } from '../directory/types.ts';
import { DirectoryError } from './errors.ts';
import { bool, text, type Row } from './rows.ts';
import type { StoreCore } from './store-core.ts';
import { guid, nonEmpty } from './validate.ts';

function tenantFromRow(row: Row): Tenant {
  return { id: text(row, 'id'), name: text(row, 'name'), domain: text(row, 'domain'), home: bool(row, 'home') };
}

/** Tenants: the home tenant and any others (multi-tenant labs). Read on every token, so cached. */
export class TenantStore {
  readonly #core: StoreCore;

  constructor(core: StoreCore) {
    this.#core = core;
  }

  /** Every tenant, the home tenant first. */
  list(): Tenant[] {
    return this.#core.sql('SELECT * FROM tenants ORDER BY home DESC, rowid').all().map(tenantFromRow);
  }

  /** A tenant by its ID or its domain, either in any letter case. */
  get(idOrDomain: string): Tenant | undefined {
    if (typeof idOrDomain !== 'string') return undefined;
    const tenant = this.#core.memo(`tenant\0${idOrDomain.toLowerCase()}`, () => {
      const row = this.#core.sql('SELECT * FROM tenants WHERE id = ?1 OR domain = ?1').get(idOrDomain);
      return row ? tenantFromRow(row) : null;
    });
    return tenant ?? undefined;
  }

  require(id: string): Tenant {
    const tenant = typeof id === 'string' ? this.get(id) : undefined;
    if (!tenant) throw new DirectoryError('TENANT_NOT_FOUND', `No tenant ${JSON.stringify(id)} exists; use the ID of one listed by /_lab/info.`);
    return tenant;
  }

  create(t: Tenant): Tenant {
    const tenant: Tenant = {
      id: guid(t.id, 'Tenant id'),
      name: nonEmpty(t.name, 'Tenant name'),
      domain: nonEmpty(t.domain, 'Tenant domain').toLowerCase(),
      home: t.home === true,
    };
    return this.#core.transaction(() => {
      const clash = this.get(tenant.id) ?? this.get(tenant.domain);
      if (clash) {
        throw new DirectoryError('TENANT_EXISTS', `A tenant with ID ${clash.id} or domain ${clash.domain} already exists (${clash.name}); pick another ID and domain.`);
      }
      const home = this.list().find((x) => x.home);
      if (tenant.home && home) {
        throw new DirectoryError('INVALID_INPUT', `${home.name} (${home.id}) is already the home tenant; create ${tenant.name} with home: false.`);
      }
      this.#core.sql('INSERT INTO tenants (id, name, domain, home) VALUES (?, ?, ?, ?)').run(tenant.id, tenant.name, tenant.domain, tenant.home ? 1 : 0);
      return tenant;
    });
  }
}
