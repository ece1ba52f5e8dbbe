// Regenerates docs/ERRORS.md from src/errors.ts: `node --import tsx scripts/gen-errors-doc.ts`.
import { writeFileSync } from 'node:fs';
import { ERRORS, type ErrorSpec } from '../src/errors.js';

const rows = Object.entries(ERRORS as Record<string, ErrorSpec>).map(
  ([code, spec]) =>
    `| \`${code}\` | ${spec.status} | ${spec.retryable ? 'yes' : 'no'} | ${spec.description.replace(/\|/g, '\\|')} |`,
);
const doc = `# Error codes

Every error cutroom returns on purpose has a stable code. Over HTTP it comes as
\`{"error": {"code", "message", "details"}}\` with the status below; on the CLI as one line
\`cutroom: CODE: message\` and a non-zero exit. Match on the code, never on the message.

Validation errors (\`VALIDATION_FAILED\`, \`TIMELINE_INVALID\`) list every problem in \`details.issues\` as
\`{path, message, part}\`, where \`part\` is body, params, querystring or headers and \`path\` is the full path
inside it, e.g. \`tracks[1].clips[3].speed\`.

"Retryable" says whether a render job failing with this error is retried automatically.

| code | HTTP | retryable | meaning |
| --- | --- | --- | --- |
${rows.join('\n')}

This file is generated from \`src/errors.ts\` by \`node --import tsx scripts/gen-errors-doc.ts\`; a test fails
when a code is missing here.
`;
writeFileSync('docs/ERRORS.md', doc);
