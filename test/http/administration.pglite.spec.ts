import { startTestServer } from '../support/test-server.js';
import { administrationSuite } from './administration.suite.js';

// DATABASE_URL unset: the default, embedded PostgreSQL under the test's own DATA_DIR.
administrationSuite('PGlite store', (env) => startTestServer({ DATABASE_URL: '', ...env }));
