import { groupBySource } from '~/lib/ml/evaluate';

const paths = (groups: Map<string, { relativePath: string }[]>) => Object.fromEntries([...groups].map(([source, items]) => [source, items.map((i) => i.relativePath)]));

it('groups by the first two folders, never by the file name', () => {
  const items = ['pets/kaggle/cats/1.jpg', 'pets/kaggle/dogs/2.jpg', 'pets/breeds/cats/3.jpg', 'other/imagenet/4.JPEG', 'cats/5.jpg', 'cats/6.jpg', '7.jpg'].map((relativePath) => ({ relativePath }));
  expect(paths(groupBySource(items))).toEqual({
    '.': ['7.jpg'],
    cats: ['cats/5.jpg', 'cats/6.jpg'],
    'other/imagenet': ['other/imagenet/4.JPEG'],
    'pets/breeds': ['pets/breeds/cats/3.jpg'],
    'pets/kaggle': ['pets/kaggle/cats/1.jpg', 'pets/kaggle/dogs/2.jpg'],
  });
});
