// `/bedrock <subcommand> …` text → what was asked. Pure; the listener decides what to answer.
import { AWS_REGION_RE } from '../../aws-shapes.js';
import { MODEL_REF_PATTERN } from '../action-ids.js';

export type BedrockCommand =
  | { kind: 'help' }
  | { kind: 'why'; text: string }
  | { kind: 'status'; modelRef: string; region?: string }
  | { kind: 'request'; modelRef?: string; region?: string }
  | { kind: 'requests' }
  | { kind: 'usage'; problem: string; example: string }
  | { kind: 'unknown'; word: string; text: string };

const STATUS_EXAMPLE = '/bedrock status anthropic.claude-3-5-sonnet-20240620-v1:0 us-east-1';
const WHY_EXAMPLE = '/bedrock why An error occurred (AccessDeniedException) when calling the InvokeModel operation: …';

export function parseBedrockCommand(raw: string): BedrockCommand {
  const text = raw.trim();
  const match = /^(\S+)\s*([\s\S]*)$/.exec(text);
  if (!match) return { kind: 'help' };
  const word = (match[1] ?? '').toLowerCase();
  const rest = (match[2] ?? '').trim();
  switch (word) {
    case 'help':
    case '-h':
    case '--help':
      return { kind: 'help' };
    case 'why':
    case 'explain':
      return rest
        ? { kind: 'why', text: rest }
        : { kind: 'usage', problem: 'Paste the error after `why`.', example: WHY_EXAMPLE };
    case 'status':
    case 'check':
      return parseStatus(rest);
    case 'request':
      return parseRequest(rest);
    case 'requests':
      return { kind: 'requests' };
    default:
      return { kind: 'unknown', word: match[1] ?? '', text };
  }
}

const REQUEST_EXAMPLE = '/bedrock request cohere.command-r-plus-v1:0 us-east-1';

/** `request` may name nothing (the modal asks), a model, or a model and a region. */
function parseRequest(rest: string): BedrockCommand {
  if (!rest) return { kind: 'request' };
  const parsed = parseStatus(rest);
  if (parsed.kind === 'status')
    return { kind: 'request', modelRef: parsed.modelRef, ...(parsed.region ? { region: parsed.region } : {}) };
  if (parsed.kind === 'usage') return { ...parsed, example: REQUEST_EXAMPLE };
  return parsed;
}

function parseStatus(rest: string): BedrockCommand {
  const args = rest.split(/\s+/).filter(Boolean);
  const [modelRef, region, ...extra] = args;
  if (!modelRef) return { kind: 'usage', problem: 'Name the model to check after `status`.', example: STATUS_EXAMPLE };
  if (!MODEL_REF_PATTERN.test(modelRef)) {
    return {
      kind: 'usage',
      problem: 'That does not look like a Bedrock model id, profile id or ARN.',
      example: STATUS_EXAMPLE,
    };
  }
  if (region !== undefined && !AWS_REGION_RE.test(region)) {
    return {
      kind: 'usage',
      problem: 'The second word should be an AWS region such as `us-east-1`.',
      example: STATUS_EXAMPLE,
    };
  }
  if (extra.length > 0) {
    return { kind: 'usage', problem: '`status` takes a model and, optionally, one region.', example: STATUS_EXAMPLE };
  }
  return region ? { kind: 'status', modelRef, region } : { kind: 'status', modelRef };
}
