// One import line per plugin file in this folder; importing a plugin registers it.
import './coco';
import './shapes';
import './voc';
