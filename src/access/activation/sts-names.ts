// Names and tags on the activation session, cleaned to what STS accepts: CloudTrail then shows which request and
// which approver every call of the activation belongs to.

const STS_NAME_CHARS = /[^\w+=,.@-]/g;
const TAG_CHARS = /[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu;

/** RoleSessionName: STS allows `[\w+=,.@-]`, 2–64 characters. */
export function sessionNameFor(requestId: string): string {
  return pad(`bd-${requestId.replace(STS_NAME_CHARS, '-')}`.slice(0, 64));
}

/** SourceIdentity: the approver, reduced to STS's allowed characters (2–64); it cannot be changed later in the chain. */
export function sourceIdentityFor(approver: string): string {
  return pad(approver.trim().replace(STS_NAME_CHARS, '-').slice(0, 64));
}

/**
 * Session tag value: STS's characters, at most 256 (counted in UTF-16 units, the stricter reading), cut between
 * characters: half a surrogate pair cannot even be URL-encoded for the request.
 */
export function tagValue(value: string): string {
  let out = '';
  for (const ch of value.replace(TAG_CHARS, '_')) {
    if (out.length + ch.length > 256) break;
    out += ch;
  }
  return out;
}

function pad(s: string): string {
  return s.length >= 2 ? s : `${s}--`.slice(0, 2);
}
