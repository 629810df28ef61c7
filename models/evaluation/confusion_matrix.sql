{{ sqlnn.confusion_matrix(ref('predictions')) }}
