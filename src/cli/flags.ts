import { Flags } from '@oclif/core';

/** `--set key.path=value`, shared by every command that reads a config. */
export const setFlag = Flags.string({
  description: 'override a config key: key.path=value (value parsed as YAML); repeatable',
  multiple: true,
  default: [],
});
