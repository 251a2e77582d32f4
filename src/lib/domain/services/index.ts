/** Services, referrals, consent and assistance requests: the documents and rules after CARE 01. */
export * from './care-visits.ts';
export * from './consent.ts';
export * from './referral.ts';
export * from './rank-matching.ts';
export * from './office-time.ts';
export * from './assistance-request.ts';
export * from './request-attachment.ts';
export * from './catalog.ts';
export * from './handover.ts';
