import type { Lang } from '../content/languages.ts';
import { explainClaim, explainHeader, TIME_CLAIMS } from '../inspector/claims.ts';
import { INSPECTOR_TEXT, localTime } from '../inspector/text.ts';

function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * A token's header or claims: name, value (times also in the reader's local
 * time), and what it means in the page's language. Used by the token
 * inspector and the live diagram's arrow details.
 */
export function ClaimsTable({ values, kind, caption, lang }: { values: Record<string, unknown>; kind: 'header' | 'claims'; caption: string; lang: Lang }) {
  const t = INSPECTOR_TEXT[lang];
  const explain = kind === 'header' ? explainHeader : explainClaim;
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table className="claims">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t.claim}</th>
            <th scope="col">{t.value}</th>
            <th scope="col">{t.meaning}</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(values).map(([name, value]) => (
            <tr key={name} data-claim={name}>
              <th scope="row">
                <code>{name}</code>
              </th>
              <td>
                <code className="claim-value">{shown(value)}</code>
                {kind === 'claims' && TIME_CLAIMS.has(name) && typeof value === 'number' ? (
                  <span className="claim-time">
                    {localTime(value, lang)} ({t.localTime})
                  </span>
                ) : null}
              </td>
              <td>{explain(name, lang) ?? t.notListed}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
