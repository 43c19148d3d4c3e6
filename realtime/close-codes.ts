/**
 * Why the service closes a connection. 4400–4499 are final: the unchanged y-websocket provider stops
 * reconnecting and emits `closed` with the code and reason, which the island translates (the reason
 * is a stable key, not prose). Anything else is transient and the provider reconnects by itself.
 */
export const CLOSE = {
  badName: { code: 4400, reason: 'document-name-invalid' },
  tokenMissing: { code: 4401, reason: 'token-missing' },
  tokenInvalid: { code: 4401, reason: 'token-invalid' },
  tokenExpired: { code: 4401, reason: 'token-expired' },
  tokenNotAUser: { code: 4401, reason: 'token-not-a-user' },
  tokenOtherUser: { code: 4401, reason: 'token-other-user' },
  forbidden: { code: 4403, reason: 'forbidden' },
  revoked: { code: 4403, reason: 'access-revoked' },
  unknownKind: { code: 4404, reason: 'document-kind-unknown' },
  badUpdate: { code: 4422, reason: 'update-invalid' },
  /** The database could not be reached or refused a write: try again (the provider does). */
  unavailable: { code: 4503, reason: 'storage-unavailable' },
  tooSlow: { code: 4508, reason: 'client-too-slow' },
  shuttingDown: { code: 1012, reason: 'service-restart' },
} as const;

export type CloseReason = (typeof CLOSE)[keyof typeof CLOSE];
