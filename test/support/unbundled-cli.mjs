// The built CLI from dist/cli/main.js and its modules one by one, as bin/pathfind.js runs it
// without the bundle (scripts/bundle.mjs): for tests that tell modules apart by their address.
import { main } from '../../dist/cli/main.js';

main(process.argv).then((code) => {
  process.exitCode = code;
});
