/** Types of bin/compiled.js (plain JavaScript, so that the `tdlv` command starts without a compiler). */
export declare function compiledIsCurrent(root: string): boolean;
