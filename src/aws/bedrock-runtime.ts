// RuntimePort over the real @aws-sdk/client-bedrock-runtime client.
import { type BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import type { RuntimePort } from '../access/ports.js';
import { call, sendOptions } from './sdk-errors.js';

export function createBedrockRuntime(client: BedrockRuntimeClient): RuntimePort {
  return {
    converse: (modelId, prompt, options) =>
      call('Converse', 'bedrock:InvokeModel', async () => {
        const out = await client.send(
          new ConverseCommand({
            modelId,
            messages: [{ role: 'user', content: [{ text: prompt }] }],
            inferenceConfig: { maxTokens: 5 },
          }),
          sendOptions(options),
        );
        const text = (out.output?.message?.content ?? []).map((c) => c.text ?? '').join('');
        return { text, stopReason: out.stopReason };
      }),
  };
}
