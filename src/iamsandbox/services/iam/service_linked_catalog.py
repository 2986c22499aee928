"""The service-linked roles AWS creates for each service: role name and permissions policy,
recorded from AWS.

Source: LocalStack's snapshot of AWS's answers (``tests/aws/services/iam/test_iam.snapshot.json``,
Apache-2.0, ``../shared/conformance/aws-recorded-responses``): ``test_service_role_lifecycle[SERVICE]``
(CreateServiceLinkedRole, then GetRole and ListAttachedRolePolicies: the role's name, its one
attached AWS managed policy under ``aws-service-role/``, the description AWS sets when the
request gives none) and ``test_service_role_lifecycle_custom_suffix_not_allowed[SERVICE]``
(InvalidInput "Custom suffix is not allowed for SERVICE"). Each service's own "Using
service-linked roles" page names the same role (for example "Using service-linked roles for
Amazon EC2 Auto Scaling": AWSServiceRoleForAutoScaling).
"""

from __future__ import annotations

# service principal -> (role name, permissions policy name under arn:aws:iam::aws:policy/aws-service-role/)
RECORDED: dict[str, tuple[str, str]] = {
    "accountdiscovery.ssm.amazonaws.com": (
        "AWSServiceRoleForAmazonSSM_AccountDiscovery",
        "AWSSystemsManagerAccountDiscoveryServicePolicy",
    ),
    "acm.amazonaws.com": ("AWSServiceRoleForCertificateManager", "CertificateManagerServiceRolePolicy"),
    "appmesh.amazonaws.com": ("AWSServiceRoleForAppMesh", "AWSAppMeshServiceRolePolicy"),
    "autoscaling-plans.amazonaws.com": (
        "AWSServiceRoleForAutoScalingPlans_EC2AutoScaling",
        "AWSAutoScalingPlansEC2AutoScalingPolicy",
    ),
    "autoscaling.amazonaws.com": ("AWSServiceRoleForAutoScaling", "AutoScalingServiceRolePolicy"),
    "backup.amazonaws.com": ("AWSServiceRoleForBackup", "AWSBackupServiceLinkedRolePolicyForBackup"),
    "batch.amazonaws.com": ("AWSServiceRoleForBatch", "BatchServiceRolePolicy"),
    "cassandra.application-autoscaling.amazonaws.com": (
        "AWSServiceRoleForApplicationAutoScaling_CassandraTable",
        "AWSApplicationAutoscalingCassandraTablePolicy",
    ),
    "cks.kms.amazonaws.com": (
        "AWSServiceRoleForKeyManagementServiceCustomKeyStores",
        "AWSKeyManagementServiceCustomKeyStoresServiceRolePolicy",
    ),
    "cloudtrail.amazonaws.com": ("AWSServiceRoleForCloudTrail", "CloudTrailServiceRolePolicy"),
    "codestar-notifications.amazonaws.com": (
        "AWSServiceRoleForCodeStarNotifications",
        "AWSCodeStarNotificationsServiceRolePolicy",
    ),
    "config.amazonaws.com": ("AWSServiceRoleForConfig", "AWSConfigServiceRolePolicy"),
    "connect.amazonaws.com": ("AWSServiceRoleForAmazonConnect", "AmazonConnectServiceLinkedRolePolicy"),
    "dms-fleet-advisor.amazonaws.com": ("AWSServiceRoleForDMSFleetAdvisor", "AWSDMSFleetAdvisorServiceRolePolicy"),
    "dms.amazonaws.com": ("AWSServiceRoleForDMSServerless", "AWSDMSServerlessServiceRolePolicy"),
    "docdb-elastic.amazonaws.com": ("AWSServiceRoleForDocDB-Elastic", "AmazonDocDB-ElasticServiceRolePolicy"),
    "ec2-instance-connect.amazonaws.com": ("AWSServiceRoleForEc2InstanceConnect", "Ec2InstanceConnectEndpoint"),
    "ec2.application-autoscaling.amazonaws.com": (
        "AWSServiceRoleForApplicationAutoScaling_EC2SpotFleetRequest",
        "AWSApplicationAutoscalingEC2SpotFleetRequestPolicy",
    ),
    "ecr.amazonaws.com": ("AWSServiceRoleForECRTemplate", "ECRTemplateServiceRolePolicy"),
    "ecs.amazonaws.com": ("AWSServiceRoleForECS", "AmazonECSServiceRolePolicy"),
    "eks-connector.amazonaws.com": ("AWSServiceRoleForAmazonEKSConnector", "AmazonEKSConnectorServiceRolePolicy"),
    "eks-fargate.amazonaws.com": ("AWSServiceRoleForAmazonEKSForFargate", "AmazonEKSForFargateServiceRolePolicy"),
    "eks-nodegroup.amazonaws.com": ("AWSServiceRoleForAmazonEKSNodegroup", "AWSServiceRoleForAmazonEKSNodegroup"),
    "eks.amazonaws.com": ("AWSServiceRoleForAmazonEKS", "AmazonEKSServiceRolePolicy"),
    "elasticache.amazonaws.com": ("AWSServiceRoleForElastiCache", "ElastiCacheServiceRolePolicy"),
    "elasticbeanstalk.amazonaws.com": ("AWSServiceRoleForElasticBeanstalk", "AWSElasticBeanstalkServiceRolePolicy"),
    "elasticfilesystem.amazonaws.com": (
        "AWSServiceRoleForAmazonElasticFileSystem",
        "AmazonElasticFileSystemServiceRolePolicy",
    ),
    "elasticloadbalancing.amazonaws.com": (
        "AWSServiceRoleForElasticLoadBalancing",
        "AWSElasticLoadBalancingServiceRolePolicy",
    ),
    "email.cognito-idp.amazonaws.com": (
        "AWSServiceRoleForAmazonCognitoIdpEmailService",
        "AmazonCognitoIdpEmailServiceRolePolicy",
    ),
    "emr-containers.amazonaws.com": ("AWSServiceRoleForAmazonEMRContainers", "AmazonEMRContainersServiceRolePolicy"),
    "emrwal.amazonaws.com": ("AWSServiceRoleForEMRWAL", "EMRDescribeClusterPolicyForEMRWAL"),
    "fis.amazonaws.com": ("AWSServiceRoleForFIS", "AmazonFISServiceRolePolicy"),
    "grafana.amazonaws.com": ("AWSServiceRoleForAmazonGrafana", "AmazonGrafanaServiceLinkedRolePolicy"),
    "imagebuilder.amazonaws.com": ("AWSServiceRoleForImageBuilder", "AWSServiceRoleForImageBuilder"),
    "iotmanagedintegrations.amazonaws.com": (
        "AWSServiceRoleForIoTManagedIntegrations",
        "AWSIoTManagedIntegrationsRolePolicy",
    ),
    "kafka.amazonaws.com": ("AWSServiceRoleForKafka", "KafkaServiceRolePolicy"),
    "kafkaconnect.amazonaws.com": ("AWSServiceRoleForKafkaConnect", "KafkaConnectServiceRolePolicy"),
    "lakeformation.amazonaws.com": (
        "AWSServiceRoleForLakeFormationDataAccess",
        "LakeFormationDataAccessServiceRolePolicy",
    ),
    "lex.amazonaws.com": ("AWSServiceRoleForLexBots", "AmazonLexBotPolicy"),
    "lexv2.amazonaws.com": ("AWSServiceRoleForLexV2Bots", "AmazonLexV2BotPolicy"),
    "lightsail.amazonaws.com": ("AWSServiceRoleForLightsail", "LightsailExportAccess"),
    "m2.amazonaws.com": ("AWSServiceRoleForAWSM2", "AWSM2ServicePolicy"),
    "memorydb.amazonaws.com": ("AWSServiceRoleForMemoryDB", "MemoryDBServiceRolePolicy"),
    "mq.amazonaws.com": ("AWSServiceRoleForAmazonMQ", "AmazonMQServiceRolePolicy"),
    "mrk.kms.amazonaws.com": (
        "AWSServiceRoleForKeyManagementServiceMultiRegionKeys",
        "AWSKeyManagementServiceMultiRegionKeysServiceRolePolicy",
    ),
    "notifications.amazonaws.com": (
        "AWSServiceRoleForAwsUserNotifications",
        "AWSUserNotificationsServiceLinkedRolePolicy",
    ),
    "observability.aoss.amazonaws.com": (
        "AWSServiceRoleForAmazonOpenSearchServerless",
        "AmazonOpenSearchServerlessServiceRolePolicy",
    ),
    "opensearchservice.amazonaws.com": (
        "AWSServiceRoleForAmazonOpenSearchService",
        "AmazonOpenSearchServiceRolePolicy",
    ),
    "ops.apigateway.amazonaws.com": ("AWSServiceRoleForAPIGateway", "APIGatewayServiceRolePolicy"),
    "ops.emr-serverless.amazonaws.com": (
        "AWSServiceRoleForAmazonEMRServerless",
        "AmazonEMRServerlessServiceRolePolicy",
    ),
    "opsdatasync.ssm.amazonaws.com": (
        "AWSServiceRoleForSystemsManagerOpsDataSync",
        "AWSSystemsManagerOpsDataSyncServiceRolePolicy",
    ),
    "opsinsights.ssm.amazonaws.com": ("AWSServiceRoleForAmazonSSM_OpsInsights", "AWSSSMOpsInsightsServiceRolePolicy"),
    "pullthroughcache.ecr.amazonaws.com": (
        "AWSServiceRoleForECRPullThroughCache",
        "AWSECRPullThroughCache_ServiceRolePolicy",
    ),
    "ram.amazonaws.com": ("AWSServiceRoleForResourceAccessManager", "AWSResourceAccessManagerServiceRolePolicy"),
    "rds.amazonaws.com": ("AWSServiceRoleForRDS", "AmazonRDSServiceRolePolicy"),
    "redshift.amazonaws.com": ("AWSServiceRoleForRedshift", "AmazonRedshiftServiceLinkedRolePolicy"),
    "replication.cassandra.amazonaws.com": (
        "AWSServiceRoleForKeyspacesReplication",
        "KeyspacesReplicationServiceRolePolicy",
    ),
    "replication.ecr.amazonaws.com": ("AWSServiceRoleForECRReplication", "ECRReplicationServiceRolePolicy"),
    "repository.sync.codeconnections.amazonaws.com": ("AWSServiceRoleForGitSync", "AWSGitSyncServiceRolePolicy"),
    "resource-explorer-2.amazonaws.com": ("AWSServiceRoleForResourceExplorer", "AWSResourceExplorerServiceRolePolicy"),
    "rolesanywhere.amazonaws.com": ("AWSServiceRoleForRolesAnywhere", "AWSRolesAnywhereServicePolicy"),
    "s3-outposts.amazonaws.com": ("AWSServiceRoleForS3OnOutposts", "AWSS3OnOutpostsServiceRolePolicy"),
    "ses.amazonaws.com": ("AWSServiceRoleForAmazonSES", "AmazonSESServiceRolePolicy"),
    "shield.amazonaws.com": ("AWSServiceRoleForAWSShield", "AWSShieldServiceRolePolicy"),
    "ssm-incidents.amazonaws.com": ("AWSServiceRoleForIncidentManager", "AWSIncidentManagerServiceRolePolicy"),
    "ssm-quicksetup.amazonaws.com": ("AWSServiceRoleForSSMQuickSetup", "SSMQuickSetupRolePolicy"),
    "ssm.amazonaws.com": ("AWSServiceRoleForAmazonSSM", "AmazonSSMServiceRolePolicy"),
    "sso.amazonaws.com": ("AWSServiceRoleForSSO", "AWSSSOServiceRolePolicy"),
    "vpcorigin.cloudfront.amazonaws.com": (
        "AWSServiceRoleForCloudFrontVPCOrigin",
        "AWSCloudFrontVPCOriginServiceRolePolicy",
    ),
    "waf.amazonaws.com": ("AWSServiceRoleForWAFLogging", "WAFLoggingServiceRolePolicy"),
    "wafv2.amazonaws.com": ("AWSServiceRoleForWAFV2Logging", "WAFV2LoggingServiceRolePolicy"),
}

# The description AWS gives the role when CreateServiceLinkedRole names none.
DEFAULT_DESCRIPTIONS: dict[str, str] = {
    "rds.amazonaws.com": "Allows Amazon RDS to manage AWS resources on your behalf",
    "ssm.amazonaws.com": "Provides access to AWS Resources managed or used by Amazon SSM.",
    "sso.amazonaws.com": (
        "Service-linked role used by AWS SSO to manage AWS resources, including IAM roles, policies"
        " and SAML IdP on your behalf."
    ),
}

# Services whose CreateServiceLinkedRole refuses a CustomSuffix: every recorded one but these
# three, recorded accepting it. "Some services do not support the CustomSuffix parameter"
# (CreateServiceLinkedRole, IAM API reference).
_SUFFIX_ACCEPTED = frozenset({"autoscaling.amazonaws.com", "connect.amazonaws.com", "lexv2.amazonaws.com"})
NO_CUSTOM_SUFFIX: frozenset[str] = frozenset(RECORDED) - _SUFFIX_ACCEPTED
