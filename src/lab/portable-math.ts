/**
 * The first statements of every lab worker (src/lab/bundle.ts prepends this module, bundled on its own, as a banner):
 * Math's elementary functions and pow become the portable ones of src/numeric/libm.ts before anything else in the
 * bundle runs, so the browser computes Node's bits (see that file for why).
 */
import { PORTABLE_MATH } from '../numeric/libm.ts';

Object.assign(Math, PORTABLE_MATH);
