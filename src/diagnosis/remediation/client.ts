// The client is set up wrongly (endpoint, client kind, SDK version, region, signing, request body): words per flavour,
// with the endpoint and region from the message filled into the commands.
import type { RemediationStep } from '../types.js';
import { bash, type Remedy, type RemedyContext, text } from './context.js';
import { requestRemedy } from './request.js';

const CLIENT_TEXT: Record<string, { title: string; explanation: string; steps: RemediationStep[] }> = {
  control_plane_call_on_runtime: {
    title: 'A control-plane call was sent to the Bedrock runtime endpoint',
    explanation:
      'Model catalogue and account calls (ListFoundationModels, ListCustomModels, GetFoundationModel, agreements) ' +
      'live on the "bedrock" endpoint; the "bedrock-runtime" endpoint only serves InvokeModel and Converse.',
    steps: [],
  },
  runtime_call_on_control_plane: {
    title: 'A runtime call was sent to the Bedrock control-plane endpoint',
    explanation: 'InvokeModel and Converse live on bedrock-runtime.<region>.amazonaws.com, not bedrock.<region>.',
    steps: [],
  },
  wrong_endpoint: {
    title: 'The operation was sent to an endpoint that does not know it',
    explanation:
      'Bedrock has four clients: "bedrock" (catalogue, agreements, custom models), "bedrock-runtime" (InvokeModel, ' +
      'Converse), "bedrock-agent" (build agents and knowledge bases) and "bedrock-agent-runtime" (InvokeAgent, ' +
      'Retrieve). "Operation unknown" means the call went to the wrong one, often through a hard-coded endpoint URL.',
    steps: [],
  },
  wrong_client: {
    title: 'The method does not exist on this Bedrock client',
    explanation:
      'Each Bedrock client has its own methods: invoke_model/converse are on "bedrock-runtime", ' +
      'list_foundation_models on "bedrock", invoke_agent/retrieve on "bedrock-agent-runtime".',
    steps: [],
  },
  sdk_outdated: {
    title: 'The SDK does not know this Bedrock service: upgrade it',
    explanation: 'Old boto3/botocore or AWS CLI versions predate the Bedrock services and operations.',
    steps: [{ title: 'Upgrade the SDK', code: bash('python -m pip install --upgrade boto3 botocore awscli') }],
  },
  region_missing: {
    title: 'No region configured for the Bedrock client',
    explanation: 'The SDK could not find a region in code, environment or profile.',
    steps: [
      { title: 'Set the region', code: bash('export AWS_REGION=<region>   # or region_name="<region>" in code') },
    ],
  },
  signing_region: {
    title: 'The request was signed for a different region or service than the endpoint',
    explanation: 'A custom endpoint URL and the configured region disagree, so the signature is scoped wrongly.',
    steps: [
      {
        title: 'Use the same region for the endpoint and the client',
        detail: 'Remove custom endpoint_url settings unless you need a VPC endpoint.',
      },
    ],
  },
  region_setting_invalid: {
    title: 'The region setting does not hold a region name',
    explanation:
      'The client was given something else as its region: an ARN, a URL, or a name with hidden characters ' +
      '(a trailing newline or space, URL-encoded as %0A or %20). The SDK builds the endpoint host from it, so ' +
      'it refuses the value before any call.',
    steps: [
      {
        title: 'Set the region to a plain region name such as us-east-1',
        detail:
          'Pass a model or inference-profile ARN as the model id, not as the region; trim values read from files ' +
          'or secrets (AWS_REGION, region_name, the profile’s region).',
        code: bash('printf %q "$AWS_REGION"; echo   # shows hidden characters'),
        recommended: true,
      },
    ],
  },
  tls_untrusted: {
    title: 'The TLS certificate on the way to AWS is not trusted',
    explanation:
      'The client reached something that answered with a certificate it does not trust: usually a corporate ' +
      'proxy or firewall that inspects TLS. AWS endpoints themselves use public certificates.',
    steps: [
      {
        title: 'Give the client the proxy’s CA bundle instead of turning verification off',
        detail: 'AWS_CA_BUNDLE (CLI, boto3), NODE_EXTRA_CA_CERTS (Node.js), or the JVM trust store (Java).',
        code: bash('export AWS_CA_BUNDLE=/path/to/corporate-ca.pem'),
        recommended: true,
      },
    ],
  },
  proxy_unreachable: {
    title: 'The connection through the HTTP proxy failed',
    explanation:
      'The client sends its calls through a proxy (HTTPS_PROXY or a proxy setting) and the proxy refused or ' +
      'could not be reached. The Bedrock endpoint and the region are not the problem.',
    steps: [
      {
        title: 'Check the proxy settings the client uses',
        detail:
          'Check HTTPS_PROXY / HTTP_PROXY / NO_PROXY (and the SDK’s proxy configuration); add the Bedrock host to ' +
          'NO_PROXY when a VPC endpoint serves it directly.',
        code: bash('env | grep -i _proxy'),
        recommended: true,
      },
    ],
  },
  control_plane_internal_error: {
    title: 'A control-plane call failed inside Bedrock (check the endpoint and region)',
    explanation:
      'The catalogue call failed with InternalServerException. When it keeps failing, the usual cause is a client ' +
      'pointed at the wrong endpoint (for example a runtime or custom endpoint_url for a control-plane call) or a ' +
      'region without that API; genuine server errors clear on retry.',
    steps: [{ title: 'Retry once with backoff; if it persists, open an AWS Support case with the request id' }],
  },
  endpoint_unreachable: {
    title: 'The client could not connect to the Bedrock endpoint',
    explanation:
      'The endpoint name is valid but the connection failed: a proxy, firewall, missing VPC endpoint or DNS ' +
      'setting blocks it, or a custom endpoint URL points to the wrong place.',
    steps: [
      {
        title: 'Test the connection from the same machine',
        code: bash('curl -sS -o /dev/null -w "%{http_code}\\n" https://<endpoint-host>/'),
      },
      { title: 'Check HTTPS_PROXY / NO_PROXY, security groups and the VPC endpoint for bedrock-runtime' },
    ],
  },
  bad_endpoint: {
    title: 'The Bedrock endpoint URL is malformed',
    explanation: 'The host name is not a valid Bedrock endpoint (typo in the region or service name).',
    steps: [],
  },
};

export function clientRemedy(ctx: RemedyContext): Remedy {
  const request = requestRemedy(ctx);
  if (request) return request;
  const entry = CLIENT_TEXT[ctx.flavour] ?? CLIENT_TEXT.wrong_endpoint ?? { title: '', explanation: '', steps: [] };
  const region = ctx.region;
  const clientSteps: RemediationStep[] = [
    {
      title: 'Use the client that serves the operation, with no hard-coded endpoint',
      code: text(
        `import boto3\n` +
          `control = boto3.client("bedrock", region_name="${region}")          # list_foundation_models, agreements\n` +
          `runtime = boto3.client("bedrock-runtime", region_name="${region}")  # invoke_model, converse\n` +
          `agents = boto3.client("bedrock-agent-runtime", region_name="${region}")  # invoke_agent, retrieve`,
      ),
      recommended: true,
    },
  ];
  const hostStep: RemediationStep[] =
    ctx.flavour === 'bad_endpoint' || ctx.flavour === 'endpoint_unreachable'
      ? [
          {
            title: 'Use the standard endpoint for the region',
            detail: `bedrock-runtime.${region}.amazonaws.com for invocation, bedrock.${region}.amazonaws.com for the catalogue. Check AWS_ENDPOINT_URL* variables and endpoint_url settings.`,
          },
        ]
      : [];
  const steps =
    entry.steps.length > 0 ? [...entry.steps.map((s) => fill(s, ctx)), ...hostStep] : [...hostStep, ...clientSteps];
  if (
    [
      'wrong_endpoint',
      'control_plane_call_on_runtime',
      'runtime_call_on_control_plane',
      'wrong_client',
      'control_plane_internal_error',
    ].includes(ctx.flavour) &&
    entry.steps.length > 0
  ) {
    steps.push(...clientSteps);
  }
  return {
    title: entry.title,
    explanation: entry.explanation,
    steps,
    notes: ctx.clues.endpointHost ? [`Endpoint seen in the message: ${ctx.clues.endpointHost}.`] : [],
    activationCanHelp: false,
  };
}

function fill(step: RemediationStep, ctx: RemedyContext): RemediationStep {
  if (!step.code) return step;
  const host = ctx.clues.unreachableHost ?? ctx.clues.endpointHost ?? `bedrock-runtime.${ctx.region}.amazonaws.com`;
  return {
    ...step,
    code: {
      ...step.code,
      content: step.code.content.replaceAll('<endpoint-host>', host).replaceAll('<region>', ctx.region),
    },
  };
}
