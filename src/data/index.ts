// One import line per plugin file in this folder; importing a plugin registers it.
import './cifar10';
import './cifar100';
import './fashion-mnist';
import './idx';
import './mini-imagenet';
import './mnist';
import './synthetic';

export { loadDataset } from './load';
export { createPipeline, batches, channelStats } from './pipeline';
export type { ImageBatch, BatchOptions, ChannelStats, DataPipeline } from './pipeline';
export type * from './types';
