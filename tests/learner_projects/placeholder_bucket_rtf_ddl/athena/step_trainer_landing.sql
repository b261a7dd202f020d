CREATE EXTERNAL TABLE stedi-db.step_trainer_landing (
  sensorreadingtime bigint,
  serialnumber string,
  distancefromobject int
)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
LOCATION 's3://${{ secrets.BUCKET }}/step_trainer/landing/'
TBLPROPERTIES ('classification' = 'json');
