// One import line per plugin file in this folder; importing a plugin registers it.
import './alpha-relu';
import './ar';
import './as';
import './at';
import './elu';
import './gelu';
import './hardswish';
import './lrelu';
import './mish';
import './prelu';
import './relu';
import './selu';
import './sigmoid';
import './softplus';
import './swish';
import './swish-beta';
import './tanh';
