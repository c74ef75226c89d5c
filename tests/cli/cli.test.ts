/**
 * The predict and evaluate CLIs, run as a user runs them (npx tsx), on a
 * small labelled folder of real photos plus a broken file and an unlabelled one.
 */
import { copyFile, mkdtemp, mkdir, readdir, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SAMPLE_PHOTOS } from '../fixtures/images';
import { runCli, runCommand } from '../support/cli';
import { linkTree } from '../support/file-tree';
import { itWithoutCuda } from '../support/cuda';


const cli = runCli;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'petlens-cli-'));
  await linkTree(root, [
    ['set/cats/a.jpg', SAMPLE_PHOTOS.cat],
    ['set/deeper/dogs/b.jpg', SAMPLE_PHOTOS.dog],
    ['set/neither/c.jpg', SAMPLE_PHOTOS.neither],
  ]);
  // A copy, not a link: a second link to a.jpg's photo would be counted once, as a.jpg.
  await mkdir(path.join(root, 'set/unsorted'));
  await copyFile(SAMPLE_PHOTOS.cat, path.join(root, 'set/unsorted/d.jpg'));
  await writeFile(path.join(root, 'set/cats/broken.jpg'), 'this is not a JPEG');
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('npm run evaluate', () => {
  it('prints one JSON object with the metrics, reports the broken file and goes on', async () => {
    const { code, stdout, stderr } = await cli('evaluate.ts', ['--data', path.join(root, 'set'), '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as Record<string, unknown> & { perClass: Record<string, unknown>; confusion: Record<string, Record<string, number>> };
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(report).toMatchObject({ n: 3, accuracy: 1, skipped: { unlabeled: 1, unreadable: 1 } });
    expect(report.perClass.cat).toEqual({ precision: 1, recall: 1, f1: 1, support: 1 });
    expect(report.confusion.dog).toEqual({ cat: 0, dog: 1, neither: 0 });
    expect(report.ece).toEqual(expect.any(Number));
    expect(report.ece as number).toBeGreaterThanOrEqual(0);
    expect(report.ece as number).toBeLessThanOrEqual(1);
    expect(stderr).toMatch(/error: cats\/broken\.jpg: .*not an image/);
  }, 60_000);

  it('prints a readable report and exits non-zero below --min-accuracy, or when it could not read every file', async () => {
    const ok = await cli('evaluate.ts', ['--data', path.join(root, 'set/deeper'), '--min-accuracy', '0.99']);
    expect(ok.code).toBe(0);
    expect(ok.stderr).not.toMatch(/error|min-accuracy/);
    expect(ok.stdout).toMatch(/accuracy 100\.00%/);
    expect(ok.stdout).toMatch(/confusion/);
    // Only a dog there: no cat was called or present, so its ratios are undefined, not 0 %.
    expect(ok.stdout).toMatch(/^cat\s+n\/a\s+n\/a\s+n\/a\s+0$/m);
    expect(ok.stdout).toMatch(/^dog\s+100\.00%\s+100\.00%\s+100\.00%\s+1$/m);
    // set/ holds a broken file: 100 % of what was read is not a pass.
    const unseen = await cli('evaluate.ts', ['--data', path.join(root, 'set'), '--min-accuracy', '0.99']);
    expect(unseen.code).toBe(3);
    expect(unseen.stdout).toMatch(/accuracy 100\.00%/);
    expect(unseen.stderr).toMatch(/meets --min-accuracy 99\.00% on the images read, but 1 files and 0 folders or links could not be read/);
    // A folder whose only cat is labelled as a dog: accuracy 0.
    await mkdir(path.join(root, 'wrong/dogs'), { recursive: true });
    await symlink(SAMPLE_PHOTOS.cat, path.join(root, 'wrong/dogs/cat-in-disguise.jpg'));
    const low = await cli('evaluate.ts', ['--data', path.join(root, 'wrong'), '--min-accuracy', '0.5']);
    expect(low.code).toBe(1);
    expect(low.stderr).toMatch(/below --min-accuracy/);
  }, 60_000);

  it('labels by the --data folder’s own name, reads a folder reached by a link loop once, and names a broken link', async () => {
    // loop/cats: a.jpg, again -> . (a loop), gone.jpg -> nothing.
    await mkdir(path.join(root, 'loop/cats'), { recursive: true });
    await symlink(SAMPLE_PHOTOS.cat, path.join(root, 'loop/cats/a.jpg'));
    await symlink('.', path.join(root, 'loop/cats/again'));
    await symlink(path.join(root, 'nothing-here.jpg'), path.join(root, 'loop/cats/gone.jpg'));
    const { code, stdout, stderr } = await cli('evaluate.ts', ['--data', path.join(root, 'loop/cats'), '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ n: 1, accuracy: 1, skipped: { unlabeled: 0, unreadable: 1 }, failures: [{ relativePath: 'gone.jpg' }] });
    expect(stderr).toMatch(/error: gone\.jpg: /);
  }, 60_000);

  it('exits 2 when no labelled image could be classified, instead of reporting 0 images at 0 %', async () => {
    await mkdir(path.join(root, 'all-bad/cats'), { recursive: true });
    await writeFile(path.join(root, 'all-bad/cats/x.jpg'), 'this is not a JPEG');
    const { code, stdout, stderr } = await cli('evaluate.ts', ['--data', path.join(root, 'all-bad'), '--json', '--min-accuracy', '0']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/error: cats\/x\.jpg: /);
    expect(stderr).toMatch(/none of the 1 labelled images could be classified/);
  }, 60_000);

  it('through npm exactly as issue #2 writes it (no -s), stdout is the one JSON object, when the gate fails as well', async () => {
    // npm writes its banner to stdout unless .npmrc keeps it silent.
    const { code, stdout, stderr } = await runCommand('npm', ['run', 'evaluate', '--', '--data', path.join(root, 'set'), '--json']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(JSON.parse(stdout)).toMatchObject({ n: 3 });
    // set/cats holds a broken file: the gate fails (3) on a run that read fewer photos than it was given.
    const gated = await runCommand('npm', ['run', 'evaluate', '--', '--data', path.join(root, 'set/cats'), '--json', '--min-accuracy', '0.99']);
    expect(gated.code).toBe(3);
    expect(JSON.parse(gated.stdout)).toMatchObject({ n: 1 });
  }, 90_000);

  // Every value the parser refuses: tests/unit/cli-options.test.ts. Here, that the refusal reaches the user.
  it('refuses an empty --min-accuracy with a message (an unset variable must not turn the gate off), exit 2 not 1', async () => {
    const { code, stdout, stderr } = await cli('evaluate.ts', ['--data', root, '--min-accuracy', '']);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(/--min-accuracy.*must be a number between 0 and 1/);
    // Any command line it cannot run: 2, never the 1 of a model below the bar.
    expect((await cli('evaluate.ts', ['--min-accuracy', '0.9'])).code).toBe(2);
    expect((await cli('predict.ts', ['--no-such-option', SAMPLE_PHOTOS.cat])).code).toBe(2);
    expect((await cli('predict.ts', ['--help'])).code).toBe(0);
  }, 60_000);

  it('reports a linked folder whose target is gone, and counts a photo reached by two paths once, under its label', async () => {
    // links/: Archive -> dogs (sorted before dogs, unlabelled) and cats -> a folder that is not there.
    await mkdir(path.join(root, 'links/dogs'), { recursive: true });
    await symlink(SAMPLE_PHOTOS.dog, path.join(root, 'links/dogs/b.jpg'));
    await symlink(path.join(root, 'links/dogs'), path.join(root, 'links/Archive'));
    await symlink(path.join(root, 'unmounted-disk/cats'), path.join(root, 'links/cats'));
    const { code, stdout, stderr } = await cli('evaluate.ts', ['--data', path.join(root, 'links'), '--json', '--min-accuracy', '0.5']);
    expect(code).toBe(3);
    expect(JSON.parse(stdout)).toMatchObject({ n: 1, accuracy: 1, perClass: { dog: { support: 1 } }, skipped: { unlabeled: 0, unreadable: 0, unreadableEntries: 1 } });
    expect(stderr).toMatch(/error: cats: link not followed: ENOENT/);
  }, 60_000);

  it('does not count a photo filed under two labels, and says which paths; a --files list counts a file written two ways once', async () => {
    await linkTree(root, [
      ['filed/dogs/b.jpg', SAMPLE_PHOTOS.dog],
      ['filed/cats/b-too.jpg', SAMPLE_PHOTOS.dog],
      ['filed/cats/a.jpg', SAMPLE_PHOTOS.cat],
    ]);
    const filed = await cli('evaluate.ts', ['--data', path.join(root, 'filed'), '--json']);
    expect(filed.code).toBe(0);
    expect(JSON.parse(filed.stdout)).toMatchObject({ n: 1, accuracy: 1, skipped: { unlabeled: 0, conflicting: 1, unreadable: 0 } });
    expect(filed.stderr).toMatch(/^warning: one photo is under folders of different labels, so it is not counted: cats\/b-too\.jpg \(cat\), dogs\/b\.jpg \(dog\)$/m);
    const list = path.join(root, 'filed-list.txt');
    await writeFile(list, 'cats/a.jpg\n./cats/a.jpg\ndogs/b.jpg\n');
    const listed = await cli('evaluate.ts', ['--data', path.join(root, 'filed'), '--files', list]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/images 2 {3}accuracy 100\.00%/);
    expect(listed.stderr).toMatch(/warning: 1 line\(s\) of .*filed-list\.txt name a file listed before \(first: \.\/cats\/a\.jpg\); each file is counted once/);
  }, 60_000);

  it('reads .jfif and .jpe photos, and refuses a folder named like a photo and an oversized file before reading them', async () => {
    const set = path.join(root, 'odd');
    await mkdir(path.join(set, 'cats/folder.jpg'), { recursive: true });
    await copyFile(SAMPLE_PHOTOS.cat, path.join(set, 'cats/scan.jfif'));
    await copyFile(SAMPLE_PHOTOS.cat, path.join(set, 'cats/old.jpe'));
    // Sparse: 600 MB on paper, nothing on disk.
    await writeFile(path.join(set, 'cats/video.jpg'), '');
    await truncate(path.join(set, 'cats/video.jpg'), 600 * 1024 * 1024);
    const { code, stdout, stderr } = await cli('evaluate.ts', ['--data', set, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ n: 2, accuracy: 1, skipped: { unreadable: 1 } });
    expect(stderr).toMatch(/error: cats\/video\.jpg: the file is 600 MB; images over 512 MB are not read/);
    const folder = await cli('predict.ts', [path.join(set, 'cats/folder.jpg')]);
    expect(folder.code).toBe(1);
    expect(folder.stderr).toMatch(/folder\.jpg: error: not a file \(a folder\)/);
  }, 60_000);

  it('predict reads a photo from a pipe (process substitution), which has no size to check first', async () => {
    const { code, stdout } = await runCommand('bash', ['-c', `npx tsx scripts/predict.ts --json <(cat ${JSON.stringify(SAMPLE_PHOTOS.cat)})`]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ label: 'cat' });
  }, 60_000);

  it('refuses a --concurrency over 64 (each is a file in memory), exit 2', async () => {
    const { code, stderr } = await cli('evaluate.ts', ['--data', path.join(root, 'set'), '--concurrency', '100000']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--concurrency.*must be a whole number from 1 to 64/);
  }, 60_000);
});

describe('run through npm from another folder', () => {
  // `npm run` starts a script in the project root: the paths typed are still read from the folder they were typed in.
  const npmRunIn = (folder: string, command: string) => runCommand('bash', ['-c', `cd ${JSON.stringify(folder)} && npm --prefix ${JSON.stringify(process.cwd())} run -s ${command}`]);

  it('predict reads a relative FILE from there', async () => {
    const { code, stdout } = await npmRunIn(path.join(root, 'set'), 'predict -- --json cats/a.jpg');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ file: 'cats/a.jpg', label: 'cat' });
  }, 60_000);

  it('evaluate reads a relative --data from there', async () => {
    const { code, stdout } = await npmRunIn(path.join(root, 'set/deeper'), 'evaluate -- --data . --json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ n: 1, accuracy: 1, data: path.join(root, 'set/deeper') });
  }, 60_000);
});

describe('--device auto without CUDA', () => {
  itWithoutCuda('says on stderr why CUDA was not used, and classifies on the CPU', async () => {
    const predict = await cli('predict.ts', ['--device', 'auto', '--json', SAMPLE_PHOTOS.dog]);
    expect(predict.code).toBe(0);
    expect(JSON.parse(predict.stdout)).toMatchObject({ label: 'dog' });
    expect(predict.stderr).toMatch(/^predict: CUDA not used \(.+\); running on the CPU$/m);
    const evaluate = await cli('evaluate.ts', ['--device', 'auto', '--json', '--data', path.join(root, 'set/deeper')]);
    expect(JSON.parse(evaluate.stdout)).toMatchObject({ n: 1, accuracy: 1 });
    expect(evaluate.stderr).toMatch(/^evaluate: CUDA not used \(.+\); running on the CPU$/m);
  }, 60_000);

  itWithoutCuda('--device cuda fails with the reason, in terms of the device asked for rather than the app\'s setting', async () => {
    const predict = await cli('predict.ts', ['--device', 'cuda', '--json', SAMPLE_PHOTOS.dog]);
    expect(predict.code).not.toBe(0);
    expect(predict.stdout).toBe('');
    expect(predict.stderr).toMatch(/^predict: the CUDA execution provider failed, and the device is cuda, not auto, so there is no falling back to the CPU: .+$/m);
    expect(predict.stderr).not.toMatch(/INFERENCE_DEVICE/);
  }, 60_000);
});

describe('npm run predict', () => {
  it('prints one JSON line per image and an error line for a bad one', async () => {
    const broken = path.join(root, 'set/cats/broken.jpg');
    const { code, stdout } = await cli('predict.ts', ['--json', SAMPLE_PHOTOS.cat, broken, SAMPLE_PHOTOS.dog]);
    expect(code).toBe(1);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; label?: string; error?: string; probabilities?: Record<string, number> });
    expect(lines.map((l) => l.label ?? 'error')).toEqual(['cat', 'error', 'dog']);
    expect(Object.keys(lines[0]!.probabilities!)).toEqual(['cat', 'dog', 'neither']);
    expect(lines[1]).toMatchObject({ file: broken, error: expect.stringMatching(/not an image/) });
  }, 60_000);

  it('stops quietly when the reader of its output goes away (| head -1), with the exit code of what it did so far', async () => {
    const cats = Array(40).fill(JSON.stringify(SAMPLE_PHOTOS.cat)).join(' ');
    const { code, stdout, stderr } = await runCommand('bash', ['-c', `npx tsx scripts/predict.ts --json ${cats} | head -1; exit \${PIPESTATUS[0]}`]);
    expect(JSON.parse(stdout)).toMatchObject({ label: 'cat' });
    expect(stderr).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(0);
    // A file that failed before the output was cut: still exit 1.
    const broken = JSON.stringify(path.join(root, 'set/cats/broken.jpg'));
    const cut = await runCommand('bash', ['-c', `npx tsx scripts/predict.ts --json ${broken} ${cats} | head -1; exit \${PIPESTATUS[0]}`]);
    expect(JSON.parse(cut.stdout)).toMatchObject({ error: expect.any(String) });
    expect(cut.stderr).not.toMatch(/EPIPE/);
    expect(cut.code).toBe(1);
  }, 90_000);

  it('prints the label and every class probability in text mode', async () => {
    const { code, stdout } = await cli('predict.ts', [SAMPLE_PHOTOS.neither]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/: neither +\(cat \d+\.\d% +dog \d+\.\d% +neither \d+\.\d%\)/);
  }, 60_000);
});

describe('npm run train -- --help', () => {
  // Training installs packages, downloads Tux Paint's stamps and stages a model folder: asking for help must do none of it.
  const stagingFolders = async () => (await readdir('models')).filter((name) => name.startsWith('.training-'));

  it("answers at once with the wrapper's usage and train.py's options, and stages nothing", async () => {
    const before = await stagingFolders();
    const { code, stdout } = await runCommand('npm', ['run', '-s', 'train', '--', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: npm run train /);
    expect(stdout).toMatch(/usage: train\.py .*--seed SEED/s);
    expect(await stagingFolders()).toEqual(before);
  }, 60_000);

  it('says how to get the training packages where its interpreter lacks them', async () => {
    const { code, stdout } = await runCommand('npm', ['run', '-s', 'train', '--', '-h'], { PYTHON: '/nonexistent/python3' });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: npm run train /);
    expect(stdout).toMatch(/train\.py's options are listed once its packages are installed: apt-get install -y python3-torch/);
  }, 60_000);
});
