// One import line per plugin file in this folder; importing a plugin registers it.
import './lenet';
import './resnet';
import './vgg16';
import './alexnet';
import './googlenet';
import './densenet';
import './mlp';
import './simple-cnn';
