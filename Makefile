# The two commands of the README, and the steps they are made of.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTEST_ARGS ?=

.PHONY: help run test stop install services init lint bench clean-state deploy-test deploy-test-single

help:
	@echo "make run    install what is missing, start the portal with demo content (Ctrl-C stops)"
	@echo "make test   install what is missing, lint, start the services, run the test suite"
	@echo "make stop   stop every process the stack started"
	@echo "make lint   ruff and mypy over the code"
	@echo "make deploy-test  build the images, run the cluster in Docker, check it, lose nodes, remove it"
	@echo "make deploy-test-single  the same for the single-machine profile (no node loss)"

run:
	@bash deployment/run.sh

test: install lint services
	@bash deployment/init_ckan.sh test
	@bash deployment/test.sh $(PYTEST_ARGS)

stop:
	@bash deployment/stop.sh

install:
	@bash deployment/install.sh

services: install
	@bash deployment/services.sh start

lint:
	@bash deployment/lint.sh

bench:
	@bash deployment/bench.sh

deploy-test:
	@bash deployment/docker/deploy-test.sh

deploy-test-single:
	@DEPLOY_TEST_PROFILE=single bash deployment/docker/deploy-test.sh

clean-state: stop
	rm -rf .state
