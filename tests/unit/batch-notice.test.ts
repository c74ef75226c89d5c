import { leftOutNotice } from '~/components/upload/batch-notice';

const names = (count: number) => Array.from({ length: count }, (_, i) => `IMG_${String(i + 1).padStart(4, '0')}.jpg`);

it('says nothing when the batch took every file', () => {
  expect(leftOutNotice(names(20), 20)).toBeNull();
  expect(leftOutNotice([], 20)).toBeNull();
});

it('names the files left out, so that they can be added again', () => {
  expect(leftOutNotice(names(21), 20)).toBe('Only the first 20 files were added; not added: IMG_0021.jpg.');
  expect(leftOutNotice(names(23), 20)).toBe('Only the first 20 files were added; not added: IMG_0021.jpg, IMG_0022.jpg and IMG_0023.jpg.');
  // Many: the first two, and how many besides.
  expect(leftOutNotice(names(30), 20)).toBe('Only the first 20 files were added; not added: IMG_0021.jpg, IMG_0022.jpg and 8 more.');
});
