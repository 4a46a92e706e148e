import { startTestServer } from '../support/test-server.js';
import { administrationSuite } from './administration.suite.js';

administrationSuite('in-memory store', (env) => startTestServer({ DATABASE_URL: 'memory', ...env }));
