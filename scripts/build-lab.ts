/** `npm run build` (last step): bundle the lab's page script and worker into dist/lab/ (src/lab/bundle.ts). */
import { writeLabBundles } from '../src/lab/bundle.ts';

await writeLabBundles();
