# DQS as a long-running server on AWS's DynamoDB: the image sst.config.ts runs on ECS Fargate when DQS_API=service
# (docs/deploy.md). One bundled JavaScript file on Node 22, run by an unprivileged user; no Java, since the image
# never embeds DynamoDB Local. test/service/container.test.ts builds the bundle as the first stage does and runs
# this CMD with this ENV.

# The bundle: the dependencies (the development ones too, which build it), then `npm run build:service`. No
# install scripts: nothing the build uses needs one (SST's would fetch its CLI).
FROM node:22-alpine AS build
WORKDIR /build
COPY . .
RUN npm ci --ignore-scripts --no-audit --no-fund && npm run build:service

FROM node:22-alpine
WORKDIR /app
# DQS and every npm package it imports, in one file: the image needs no node_modules (scripts/service-bundle.ts)
COPY --from=build /build/dist/service.mjs dist/service.mjs
# The load balancer reaches the task on its VPC address. As with the Lambda API, the deployment's functions do the
# rest: Counts keeps the queues' counts from the messages table's stream (waiting polls look at the counts instead
# of reading the stream; the default without an endpoint, stated so that one given in tests changes nothing), and
# the sweeper advances message move tasks. The entry point takes the region from AWS_REGION, which ECS sets, and
# never embeds DynamoDB.
ENV DQS_HOST=0.0.0.0 \
    DQS_PORT=9324 \
    DQS_FOLLOW_STREAM=false \
    DQS_TAIL_STREAM=false \
    DQS_COUNTS_READ_STREAM=false \
    DQS_MOVE_TASKS=false
USER node
EXPOSE 9324
# SIGTERM (ECS stopping the task) answers waiting long polls at once, lets requests in flight finish, then exits 0
CMD ["node", "dist/service.mjs"]
