CREATE EXTERNAL TABLE IF NOT EXISTS `stedi-lake-db`.`customer_curated` (
  `customername` string,
  `email` string,
  `phone` string,
  `birthday` string,
  `serialnumber` string,
  `registrationdate` bigint,
  `lastupdatedate` bigint,
  `sharewithresearchasofdate` bigint,
  `sharewithpublicasofdate` bigint,
  `sharewithfriendsasofdate` bigint
)
STORED AS PARQUET
LOCATION 's3://learner-lake-2/customer_curated/'
TBLPROPERTIES ('classification' = 'parquet');
