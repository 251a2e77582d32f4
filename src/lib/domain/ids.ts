/** Document ids: `<type>:<uuid v4>`, made on the device so records can be created offline. */
export function uuid(): string {
  // crypto.randomUUID exists only in secure contexts; getRandomValues works everywhere.
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const newPersonId = () => `person:${uuid()}`;
export const newCare01Id = () => `care01:${uuid()}`;
