/**
 * The lab's Web Worker for the built-in lab theorems (theorems/lab.ts): src/lab/serve.ts does the work; this entry only
 * names the checks. Bundled by src/lab/bundle.ts.
 */
import { serveLab } from './serve.ts';
import { LAB_THEOREMS } from '../../theorems/lab.ts';

serveLab(LAB_THEOREMS.map((t) => t.check));
