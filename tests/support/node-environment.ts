/**
 * Jest's node environment, with the host realm's typed arrays.
 *
 * Jest runs tests in a separate vm context with its own Float32Array etc.,
 * while native addons (onnxruntime-node, sharp) create arrays in the host
 * realm; onnxruntime-common then rejects its own outputs ("A float32
 * tensor's data must be type of Float32Array"). Sharing the host's
 * constructors makes `instanceof` agree on both sides.
 */
import NodeEnvironment from 'jest-environment-node';

// Its constructor's own parameter types: @jest/environment, which names them, is not a dependency of this project.
type EnvironmentArgs = ConstructorParameters<typeof NodeEnvironment>;

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
  constructor(config: EnvironmentArgs[0], context: EnvironmentArgs[1]) {
    super(config, context);
    const host = globalThis as unknown as Record<string, unknown>;
    const sandbox = this.global as unknown as Record<string, unknown>;
    for (const name of SHARED) sandbox[name] = host[name];
  }
}
