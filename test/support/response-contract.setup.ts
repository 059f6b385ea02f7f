/**
 * Every route of every test checks its answers against its declared statuses and schemas: a body
 * off its schema, or an undeclared status, is logged and answered 500 (src/api/response-contract.ts).
 */
import { enforceResponseContract } from '../../src/api/response-contract.js';

enforceResponseContract();
