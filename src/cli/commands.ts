/** Every CLI verb registers itself here: one line per verb file. */
import type { Command } from 'commander';
import { registerPlan } from './plan.command.js';
import { registerPasses } from './passes.command.js';
import { registerAudit } from './audit.command.js';
import { registerKeys } from './keys.command.js';
import { registerRelay } from './relay.command.js';
import { registerKeyrate } from './keyrate.command.js';
import { registerLink } from './link.command.js';
import { registerSimulate } from './simulate.command.js';
import { registerCalibrate } from './calibrate.command.js';
import { registerNetwork } from './network.command.js';

export type Register = (program: Command) => void;

export const COMMANDS: Register[] = [
  registerPlan,
  registerPasses,
  registerKeys,
  registerRelay,
  registerAudit,
  registerKeyrate,
  registerLink,
  registerSimulate,
  registerCalibrate,
  registerNetwork,
];
