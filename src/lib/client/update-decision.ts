/** When a waiting version of the app may take over: offered first, applied only with consent and no dirty form. */
export type UpdateDecision = 'none' | 'offer' | 'wait-for-form' | 'apply';

export function decideUpdate(s: { waiting: boolean; accepted: boolean; formDirty: boolean }): UpdateDecision {
  if (!s.waiting) return 'none';
  if (!s.accepted) return 'offer';
  return s.formDirty ? 'wait-for-form' : 'apply';
}
