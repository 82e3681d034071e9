import { text } from './rows.ts';
import type { StoreCore } from './store-core.ts';

/** Named values (the signing key ring, faults, …); the key ring and faults are read on every token, so cached. */
export class SettingStore {
  readonly #core: StoreCore;

  constructor(core: StoreCore) {
    this.#core = core;
  }

  get(name: string): string | undefined {
    const value = this.#core.memo(`setting\0${name}`, () => {
      const row = this.#core.sql('SELECT value FROM settings WHERE name = ?').get(name);
      return row ? text(row, 'value') : null;
    });
    return value ?? undefined;
  }

  set(name: string, value: string): void {
    this.#core.sql('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value').run(name, value);
  }
}
