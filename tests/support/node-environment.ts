/**
 * Jest's node environment, with the host realm's typed arrays.
 *
 * Jest runs tests in a separate vm context with its own Float32Array etc.,
 * while native addons (onnxruntime-node, sharp) create arrays in the host
 * realm; onnxruntime-common then rejects its own outputs ("A float32
 * tensor's data must be type of Float32Array"). Sharing the host's
 * constructors makes `instanceof` agree on both sides.
 */
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import NodeEnvironment from 'jest-environment-node';

const SHARED = [
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
] as const;

export default class PetLensNodeEnvironment extends NodeEnvironment {
  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    const host = globalThis as unknown as Record<string, unknown>;
    const sandbox = this.global as unknown as Record<string, unknown>;
    for (const name of SHARED) sandbox[name] = host[name];
  }
}
