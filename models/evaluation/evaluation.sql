{{ sqlnn.evaluation_metrics(ref('predictions'), ref('class_metrics')) }}
