// One import line per plugin file in this folder; importing a plugin registers it.
import './sgd';
import './momentum';
import './adagrad';
import './adadelta';
import './adam';
import './rmsprop';
