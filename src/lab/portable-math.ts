/**
 * Imported first by the lab's worker: Math's elementary functions become the portable ones of src/numeric/libm.ts
 * before any engine module runs, so the browser computes Node's bits (see that file for why, and for pow, which it
 * does not cover).
 */
import { PORTABLE_MATH } from '../numeric/libm.ts';

Object.assign(Math, PORTABLE_MATH);
