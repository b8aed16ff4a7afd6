/** Small DOM helpers: the portal needs no framework. */
type Child = Node | string | number | null | undefined | false;

/** Creates an element with attributes (on* are listeners) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, unknown> = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value as EventListener);
    else if (key === 'class') el.className = String(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** A score 0–100 to one decimal, or an em dash where there is no evidence. */
export const fmt = (v: number | null | undefined, digits = 1): string => (v === null || v === undefined ? '—' : v.toFixed(digits));

const WORDS: Record<string, string> = {
  TRUSTED: 'Trusted',
  SOLID: 'Solid',
  WATCH: 'Watch',
  AT_RISK: 'At risk',
  CRITICAL: 'Critical',
  PROVISIONAL: 'Provisional',
  UNRATED: 'Unrated',
  STABLE: 'Stable',
  THAWING: 'Thawing',
  ANTI: 'Anti',
  SWITCHING: 'Switching',
  LOST: 'Lost',
};
export const word = (code: string): string => {
  if (WORDS[code]) return WORDS[code];
  const spaced = code.replace(/([a-z])([A-Z])/g, '$1 $2').replaceAll('_', ' ').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
};

/** A coloured chip for a trust band or churn stage; data-value holds the API's code. */
export const chip = (code: string, testid?: string) =>
  h('span', { class: `chip chip-${code.toLowerCase()}`, 'data-value': code, 'data-testid': testid }, word(code));

/** What a dimension without a score says, by its status (DESIGN §3: not applicable is not unknown). */
const NONE: Record<string, string> = {
  NOT_APPLICABLE: 'no evidence (nothing to measure)',
  UNKNOWN: 'no evidence yet',
  FADED: 'no evidence (too old to speak)',
};

/** A horizontal bar for a 0–100 score; no evidence is said, never drawn as a score. */
export function bar(label: string, score: number | null, evidence: number, testid: string, status = 'UNKNOWN') {
  return h(
    'div',
    { class: 'bar-row' },
    h('span', { class: 'bar-label' }, label),
    score === null
      ? h('span', { class: 'bar-none', 'data-testid': testid, 'data-value': '', 'data-status': status }, NONE[status] ?? 'no evidence')
      : h(
          'span',
          { class: 'bar', role: 'meter', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': score.toFixed(1), 'aria-label': label },
          h('span', { class: 'bar-fill', style: `width:${Math.max(0, Math.min(100, score))}%` }),
        ),
    h('span', { class: 'bar-value', 'data-testid': score === null ? undefined : testid, 'data-value': score ?? '' }, score === null ? '' : fmt(score)),
    h('span', { class: 'bar-evidence' }, evidence ? `${evidence} item${evidence === 1 ? '' : 's'}` : ''),
  );
}

export const date = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' }) : '—');

/**
 * Gives each body cell of the view's tables the text of its column header (`data-label`), so on
 * a phone the stylesheet can show a row as a card of labelled figures instead of a table wider
 * than the screen.
 */
export function labelCells(root: ParentNode): void {
  for (const table of root.querySelectorAll('table')) {
    const heads = [...table.querySelectorAll('thead th')].map((th) => th.textContent?.trim() ?? '');
    for (const row of table.querySelectorAll('tbody tr')) [...row.children].forEach((cell, i) => heads[i] && cell.setAttribute('data-label', heads[i]));
  }
}
