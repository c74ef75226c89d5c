import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Whether this host can run CUDA, judged without the code under test: the
 * CUDA provider library that the README's GPU steps add to onnxruntime-node
 * (the default install leaves it out), and an NVIDIA device. On a GPU host
 * set up that way, auto and cuda must use the GPU; anywhere else they must
 * fall back, or fail, saying why.
 */
export function cudaExpected(): boolean {
  return cudaProviderInstalled() && existsSync('/dev/nvidiactl');
}

/** Whether onnxruntime-node's CUDA provider library is beside this platform's binary (the default install has none). */
export function cudaProviderInstalled(): boolean {
  const binaries = path.join(path.dirname(require.resolve('onnxruntime-node/package.json')), 'bin', 'napi-v6', process.platform, process.arch);
  return existsSync(path.join(binaries, 'libonnxruntime_providers_cuda.so'));
}

// Judged once per test file: the answer cannot change while the file runs.
const onCuda = cudaExpected();

/** A test for hosts without CUDA (the fallback paths); skipped on a GPU host set up as the README says. */
export const itWithoutCuda: jest.It = onCuda ? it.skip : it;

/** A test for a GPU host set up as the README says; skipped elsewhere. */
export const itOnCuda: jest.It = onCuda ? it : it.skip;
