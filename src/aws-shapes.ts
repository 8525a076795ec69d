// Shapes of AWS names, shared by config (validation), diagnosis (finding names in pasted text) and Slack (button
// values, command arguments). Pure: no imports, so a Slack or Lambda bundle that needs a region check pulls in nothing.

/**
 * Shape of a commercial, GovCloud, China or ISO region name (`us-east-1`, `us-gov-west-1`, `cn-northwest-1`,
 * `us-isob-east-1`); not a promise that the region exists. A source string, for embedding in larger patterns.
 */
export const REGION_PATTERN =
  '(?:us|eu|ap|sa|ca|me|af|il|mx|cn)(?:-gov|-iso[a-z]?)?-(?:east|west|north|south|central|northeast|southeast|northwest|southwest)-\\d{1,2}';

/** A whole string that is a region name. */
export const AWS_REGION_RE = new RegExp(`^${REGION_PATTERN}$`);

/** A 12-digit AWS account id. */
export const ACCOUNT_ID_RE = /^\d{12}$/;

/** An IAM role ARN in any partition (path allowed). */
export const ROLE_ARN_RE = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
