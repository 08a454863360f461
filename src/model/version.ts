/** The tool's version, from package.json at build time (ncc bundles the JSON): `--version` and every report's tool.version. */
import pkg from '../../package.json' with { type: 'json' };

export const TOOL_VERSION: string = pkg.version;
