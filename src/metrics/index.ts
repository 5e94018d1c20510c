// One import line per plugin file in this folder; importing a plugin registers it.
import './accuracy';
import './top5';
import './weighted-prf';
import './confusion';
