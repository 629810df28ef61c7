{{ sqlnn.class_metrics(ref('confusion_matrix')) }}
