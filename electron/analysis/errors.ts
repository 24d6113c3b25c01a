/**
 * Analysis hand-off failures: a SLURM command or the ssh connection to the login node failed,
 * or a dataset cannot be handed to analysis. Messages name the command and where it ran.
 */
import { AquilaError } from '../../drivers/errors';

export class AnalysisError extends AquilaError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_ANALYSIS', message, details);
  }
}
