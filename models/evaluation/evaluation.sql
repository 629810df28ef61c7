{{ sqlnn.evaluation(ref('predictions'), ref('class_metrics')) }}
