/**
 * Importing this module registers every built-in plugin. Each folder's index.ts lists its plugins,
 * one import line per plugin file.
 */
import './backends';
import './builders/activations';
import './builders/networks';
import './builders/optimizers';
import './builders/schedules';
import './data';
import './detection/datasets';
import './detection/heads';
import './metrics';
