import { InMemoryAuditLog } from '../../../adapters/memory/in-memory-audit-log.js';
import { auditLogContract } from '../../contract/audit-log.contract.js';

auditLogContract('InMemoryAuditLog', async () => ({ log: new InMemoryAuditLog(), async close() {} }));
