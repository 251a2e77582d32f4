/**
 * Taking the user to a form field: scrolled to the middle of the screen (clear of the header
 * above and the save bar below), the cursor put in it, and fields with a problem marked so that
 * the mark and the message are both announced (aria-invalid) and seen (a red outline).
 */
const FOCUSABLE =
  'input:not([type=hidden]):not(:disabled), select:not(:disabled), textarea:not(:disabled), button:not(:disabled), canvas[tabindex], [tabindex]:not([tabindex="-1"])';

export function jumpToField(id: string): boolean {
  const el = document.getElementById(id);
  if (!el) return false;
  const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  el.scrollIntoView({ behavior: reduce ? 'auto' : 'smooth', block: 'center' });
  // A checked radio is where the keyboard lands in a group; otherwise the first control.
  const target = el.matches(FOCUSABLE)
    ? el
    : (el.querySelector<HTMLElement>('input:checked:not(:disabled)') ?? el.querySelector<HTMLElement>(FOCUSABLE));
  target?.focus({ preventScroll: true });
  return true;
}

const MARK = 'data-problem';

/** Marks each element (by id) as having a problem; the previous marks are removed first. */
export function markProblems(ids: readonly string[], describedBy: string): void {
  clearProblemMarks();
  for (const id of ids) {
    const el = document.getElementById(id);
    if (!el) continue;
    el.setAttribute(MARK, '');
    const controls = el.matches('input, select, textarea') ? [el] : Array.from(el.querySelectorAll('input, select, textarea'));
    for (const c of controls) {
      c.setAttribute('aria-invalid', 'true');
      c.setAttribute('data-problem-control', '');
      const ids = new Set((c.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean));
      ids.add(describedBy);
      c.setAttribute('aria-describedby', [...ids].join(' '));
    }
  }
}

export function clearProblemMarks(): void {
  for (const el of Array.from(document.querySelectorAll(`[${MARK}]`))) el.removeAttribute(MARK);
  for (const c of Array.from(document.querySelectorAll('[data-problem-control]'))) {
    c.removeAttribute('aria-invalid');
    c.removeAttribute('data-problem-control');
  }
}
