/** Entry of a compute thread (see src/platform/worker-pool.ts). */
import { serveTasks } from '../platform/worker-pool.js';
import { computeTasks } from './tasks.js';

serveTasks(computeTasks);
