"""CatalogService over gRPC: each RPC converts the request, calls the domain with the caller,
and converts the answer. Errors are domain exceptions, mapped by the ErrorInterceptor."""

from __future__ import annotations

import json

from driftline.catalog.v1 import catalog_service_pb2 as pb, catalog_service_pb2_grpc
from driftline_server.catalog import conversions as convert
from driftline_server.catalog.domain import Catalog
from driftline_server.catalog.experiments import Experiments, Phase
from driftline_server.catalog.model_runs import ModelRuns
from driftline_server.catalog.python_models.definitions import PythonModels
from driftline_server.catalog.python_models.predictions import ModelServer
from driftline_server.catalog.model_sessions import ModelSessions, SessionCategory, SessionView
from driftline_server.catalog.vocabulary import ModelCodeFailure, StoragePolicy, SuggestionType
from driftline_server.platform.clock import time_from_proto, to_timestamp
from driftline_server.platform.roles import current_caller
from driftline_server.platform.validation import heartbeat_seconds

DEFAULT_HEARTBEAT_SECONDS = 15.0


class CatalogServicer(catalog_service_pb2_grpc.CatalogServiceServicer):
    def __init__(self, catalog: Catalog, model_runs: ModelRuns, python_models: PythonModels,
                 model_server: ModelServer, model_sessions: ModelSessions,
                 experiments: Experiments):
        self._catalog = catalog
        self._model_runs = model_runs
        self._python_models = python_models
        self._model_server = model_server
        self._model_sessions = model_sessions
        self._experiments = experiments

    # -- projects --------------------------------------------------------------------------

    async def CreateProject(self, request: pb.CreateProjectRequest, context):
        project = request.project
        row = await self._catalog.create_project(
            current_caller(),
            project.name,
            project.description,
            convert.enum_from_proto(
                StoragePolicy, project.default_storage_policy, "project.default_storage_policy"
            ),
            request.request_id,
            project.data_storage_uri,
        )
        return pb.CreateProjectResponse(project=convert.project_to_proto(row))

    async def GetProject(self, request: pb.GetProjectRequest, context):
        row = await self._catalog.get_project(current_caller(), request.project_id)
        return pb.GetProjectResponse(project=convert.project_to_proto(row))

    async def ListProjects(self, request: pb.ListProjectsRequest, context):
        rows, token = await self._catalog.list_projects(
            current_caller(), request.page_size, request.page_token, request.company_id
        )
        return pb.ListProjectsResponse(
            projects=[convert.project_to_proto(row) for row in rows], next_page_token=token
        )

    async def UpdateProject(self, request: pb.UpdateProjectRequest, context):
        changes = convert.project_changes(request)
        row = await self._catalog.update_project(current_caller(), request.project.id, changes)
        return pb.UpdateProjectResponse(project=convert.project_to_proto(row))

    # -- tasks -----------------------------------------------------------------------------

    async def CreateTask(self, request: pb.CreateTaskRequest, context):
        draft = convert.task_draft_from_proto(request.task)
        row = await self._catalog.create_task(
            current_caller(), request.project_id, draft, request.request_id
        )
        return pb.CreateTaskResponse(task=convert.task_to_proto(row))

    async def GetTask(self, request: pb.GetTaskRequest, context):
        row = await self._catalog.get_task(current_caller(), request.task_id)
        return pb.GetTaskResponse(task=convert.task_to_proto(row))

    async def ListTasks(self, request: pb.ListTasksRequest, context):
        rows, token = await self._catalog.list_tasks(
            current_caller(), request.project_id, request.page_size, request.page_token
        )
        return pb.ListTasksResponse(
            tasks=[convert.task_to_proto(row) for row in rows], next_page_token=token
        )

    async def UpdateTask(self, request: pb.UpdateTaskRequest, context):
        changes = convert.task_changes(request)
        row = await self._catalog.update_task(current_caller(), request.task.id, changes)
        return pb.UpdateTaskResponse(task=convert.task_to_proto(row))

    # -- models ----------------------------------------------------------------------------

    async def CreateModel(self, request: pb.CreateModelRequest, context):
        draft = convert.model_draft_from_proto(request.model)
        row = await self._catalog.create_model(
            current_caller(), request.task_id, draft, request.request_id
        )
        return pb.CreateModelResponse(model=convert.model_to_proto(row))

    async def GetModel(self, request: pb.GetModelRequest, context):
        row = await self._catalog.get_model(current_caller(), request.model_id)
        return pb.GetModelResponse(model=convert.model_to_proto(row))

    async def ListModels(self, request: pb.ListModelsRequest, context):
        rows, token = await self._catalog.list_models(
            current_caller(), request.task_id, request.page_size, request.page_token
        )
        return pb.ListModelsResponse(
            models=[convert.model_to_proto(row) for row in rows], next_page_token=token
        )

    async def GetModelByNameAndVersion(self, request: pb.GetModelByNameAndVersionRequest, context):
        row = await self._catalog.get_model_by_name_and_version(
            current_caller(), request.task_id, request.model_name, request.model_version
        )
        return pb.GetModelByNameAndVersionResponse(model=convert.model_to_proto(row))

    async def UpdateModelVersion(self, request: pb.UpdateModelVersionRequest, context):
        row = await self._catalog.update_model_version(
            current_caller(), request.model_id, request.new_model_version
        )
        return pb.UpdateModelVersionResponse(model=convert.model_to_proto(row))

    async def SetModelSuggestionType(self, request: pb.SetModelSuggestionTypeRequest, context):
        row = await self._catalog.set_model_suggestion_type(
            current_caller(), request.model_id,
            convert.enum_from_proto(SuggestionType, request.suggestion_type, "suggestion_type"),
            request.resampled_dataset_size,
        )
        return pb.SetModelSuggestionTypeResponse(model=convert.model_to_proto(row))

    # -- data schemas ----------------------------------------------------------------------

    async def CreateDataSchema(self, request: pb.CreateDataSchemaRequest, context):
        columns = convert.columns_from_proto(request.data_schema)
        row = await self._catalog.create_data_schema(current_caller(), request.task_id, columns)
        return pb.CreateDataSchemaResponse(data_schema=convert.data_schema_to_proto(row))

    async def GetDataSchema(self, request: pb.GetDataSchemaRequest, context):
        row = await self._catalog.get_data_schema(
            current_caller(), request.task_id, request.version
        )
        return pb.GetDataSchemaResponse(data_schema=convert.data_schema_to_proto(row))

    async def GetDataSchemaTemplate(self, request: pb.GetDataSchemaTemplateRequest, context):
        columns = await self._catalog.get_data_schema_template(current_caller(), request.task_id)
        return pb.GetDataSchemaTemplateResponse(
            data_schema=convert.template_to_proto(request.task_id, columns)
        )

    # -- KPIs ------------------------------------------------------------------------------

    async def CreateKpi(self, request: pb.CreateKpiRequest, context):
        row = await self._catalog.create_kpi(
            current_caller(), request.project_id, request.kpi.name, request.request_id
        )
        return pb.CreateKpiResponse(kpi=convert.kpi_to_proto(row))

    async def GetKpi(self, request: pb.GetKpiRequest, context):
        row = await self._catalog.get_kpi(current_caller(), request.kpi_id)
        return pb.GetKpiResponse(kpi=convert.kpi_to_proto(row))

    async def ListKpis(self, request: pb.ListKpisRequest, context):
        rows, token = await self._catalog.list_kpis(
            current_caller(), request.project_id, request.page_size, request.page_token
        )
        return pb.ListKpisResponse(
            kpis=[convert.kpi_to_proto(row) for row in rows], next_page_token=token
        )

    # -- model runs ------------------------------------------------------------------------

    async def CreateModelRun(self, request: pb.CreateModelRunRequest, context):
        run = request.model_run
        view = await self._model_runs.create(
            current_caller(), request.project_id,
            convert.optional_struct(run, "info", "model_run.info", "MODEL_RUN_INFO_INVALID_VALUE"),
            run.model_name, request.request_id,
        )
        return pb.CreateModelRunResponse(model_run=convert.model_run_to_proto(view))

    async def BatchCreateModelRuns(self, request: pb.BatchCreateModelRunsRequest, context):
        runs = [
            (convert.optional_struct(run, "info", f"model_runs[{index}].info",
                                     "MODEL_RUN_INFO_INVALID_VALUE"), run.model_name)
            for index, run in enumerate(request.model_runs)
        ]
        views = await self._model_runs.batch_create(
            current_caller(), request.project_id, runs, request.request_id)
        return pb.BatchCreateModelRunsResponse(
            model_runs=[convert.model_run_to_proto(view) for view in views])

    async def GetModelRun(self, request: pb.GetModelRunRequest, context):
        view = await self._model_runs.get(current_caller(), request.model_run_id)
        return pb.GetModelRunResponse(model_run=convert.model_run_to_proto(view))

    async def FindModelRun(self, request: pb.FindModelRunRequest, context):
        view = await self._model_runs.find(
            current_caller(), request.project_id,
            convert.optional_struct(request, "info", "info", "MODEL_RUN_INFO_INVALID_VALUE"),
            request.model_name,
        )
        return pb.FindModelRunResponse(model_run=convert.model_run_to_proto(view))

    async def ListModelRuns(self, request: pb.ListModelRunsRequest, context):
        views, token = await self._model_runs.list(
            current_caller(), request.project_id, request.page_size, request.page_token,
            model_name=request.model_name, model_id=request.model_id,
            contains=convert.optional_struct(request, "contains", "contains",
                                             "CONTAINS_INVALID_VALUE"),
        )
        return pb.ListModelRunsResponse(
            model_runs=[convert.model_run_to_proto(view) for view in views],
            next_page_token=token,
        )

    async def UpdateModelRun(self, request: pb.UpdateModelRunRequest, context):
        changes = convert.model_run_changes(request)
        view = await self._model_runs.update(current_caller(), request.model_run.id, changes)
        return pb.UpdateModelRunResponse(model_run=convert.model_run_to_proto(view))

    async def DeleteModelRun(self, request: pb.DeleteModelRunRequest, context):
        await self._model_runs.delete(current_caller(), request.model_run_id)
        return pb.DeleteModelRunResponse()

    async def AssociateModelRun(self, request: pb.AssociateModelRunRequest, context):
        view = await self._model_runs.associate(
            current_caller(), request.model_run_id, request.model_id)
        return pb.AssociateModelRunResponse(model_run=convert.model_run_to_proto(view))

    async def UnassociateModelRun(self, request: pb.UnassociateModelRunRequest, context):
        view = await self._model_runs.unassociate(
            current_caller(), request.model_run_id, request.model_id)
        return pb.UnassociateModelRunResponse(model_run=convert.model_run_to_proto(view))

    # -- Python models ---------------------------------------------------------------------

    async def CreatePythonModel(self, request: pb.CreatePythonModelRequest, context):
        row = await self._python_models.create(
            current_caller(), request.task_id, request.python_model.name,
            convert.python_definition_from_proto(request.python_model), request.request_id)
        return pb.CreatePythonModelResponse(python_model=convert.python_model_to_proto(row))

    async def GetPythonModel(self, request: pb.GetPythonModelRequest, context):
        row = await self._python_models.get(current_caller(), request.python_model_id)
        return pb.GetPythonModelResponse(python_model=convert.python_model_to_proto(row))

    async def ListPythonModels(self, request: pb.ListPythonModelsRequest, context):
        rows, token = await self._python_models.list(
            current_caller(), request.task_id, request.page_size, request.page_token)
        return pb.ListPythonModelsResponse(
            python_models=[convert.python_model_to_proto(row) for row in rows],
            next_page_token=token)

    async def UpdatePythonModel(self, request: pb.UpdatePythonModelRequest, context):
        changes = convert.python_model_changes(request)
        row = await self._python_models.update(
            current_caller(), request.python_model.id, changes)
        return pb.UpdatePythonModelResponse(python_model=convert.python_model_to_proto(row))

    async def TrainPythonModel(self, request: pb.TrainPythonModelRequest, context):
        view, model = await self._python_models.train(
            current_caller(), request.python_model_id, request.version, request.request_id)
        return pb.TrainPythonModelResponse(
            version=convert.python_model_version_to_proto(view),
            model=convert.model_to_proto(model))

    async def GetPythonModelVersion(self, request: pb.GetPythonModelVersionRequest, context):
        view = await self._python_models.get_version(current_caller(), request.model_id)
        return pb.GetPythonModelVersionResponse(
            version=convert.python_model_version_to_proto(view))

    async def ListPythonModelVersions(self, request: pb.ListPythonModelVersionsRequest,
                                      context):
        views, token = await self._python_models.list_versions(
            current_caller(), request.python_model_id, request.page_size, request.page_token)
        return pb.ListPythonModelVersionsResponse(
            versions=[convert.python_model_version_to_proto(view) for view in views],
            next_page_token=token)

    async def Predict(self, request: pb.PredictRequest, context):
        version = await self._python_models.servable(current_caller(), request.model_id)
        predictions = await self._model_server.predict(
            version, convert.sample_table(request), many=False)
        return pb.PredictResponse(prediction=convert.predictions_to_proto(predictions)[0])

    async def PredictMany(self, request: pb.PredictManyRequest, context):
        version = await self._python_models.servable(current_caller(), request.model_id)
        predictions = await self._model_server.predict(
            version, convert.samples_table(request), many=True)
        return pb.PredictManyResponse(predictions=convert.predictions_to_proto(predictions))

    async def StartPythonModelTraining(self, request: pb.StartPythonModelTrainingRequest,
                                       context):
        started = await self._python_models.start_training(request.model_id)
        row = started.view.row
        return pb.StartPythonModelTrainingResponse(
            version=convert.python_model_version_to_proto(started.view),
            definition=convert.python_model_to_proto(started.definition),
            columns_json=json.dumps(started.columns),
            suggestion_from_time=to_timestamp(row.suggestion_from_time),
            suggestion_to_time=to_timestamp(row.suggestion_to_time),
            artifact_path=row.artifact_path, set_reference=row.set_reference)

    async def FinishPythonModelTraining(self, request: pb.FinishPythonModelTrainingRequest,
                                        context):
        view = await self._python_models.finish_training(
            request.model_id, request.trained, error=request.error,
            failure=convert.enum_from_proto(ModelCodeFailure, request.failure, "failure"),
            output_tail=request.output_tail, sample_count=request.training_sample_count,
            sample_weighted=request.sample_weighted,
            artifact_size=request.artifact_size_bytes,
            reference_job_id=request.reference_job_id)
        return pb.FinishPythonModelTrainingResponse(
            version=convert.python_model_version_to_proto(view))

    async def RetrainPythonModel(self, request: pb.RetrainPythonModelRequest, context):
        view = await self._python_models.retrain(
            request.model_id, request.report_id,
            time_from_proto(request, "reference_from_time"),
            time_from_proto(request, "reference_to_time"), request.set_reference)
        return pb.RetrainPythonModelResponse(version=convert.python_model_version_to_proto(view))

    async def GetResourceNames(self, request: pb.GetResourceNamesRequest, context):
        projects, tasks, models = await self._catalog.resource_names(
            list(request.project_ids), list(request.task_ids), list(request.model_ids))
        return pb.GetResourceNamesResponse(project_names=projects, task_names=tasks,
                                           model_names=models)

    # -- model sessions ----------------------------------------------------------------------

    async def CreateModelSession(self, request: pb.CreateModelSessionRequest, context):
        record = await self._model_sessions.create(
            current_caller(), request.project_id,
            convert.model_session_draft_from_proto(request.model_session), request.request_id)
        return pb.CreateModelSessionResponse(
            model_session=convert.model_session_to_proto(record))

    async def GetModelSession(self, request: pb.GetModelSessionRequest, context):
        record = await self._model_sessions.get(
            current_caller(), request.model_session_id,
            convert.enum_from_proto(SessionView, request.view, "view"))
        return pb.GetModelSessionResponse(model_session=convert.model_session_to_proto(record))

    async def ListModelSessions(self, request: pb.ListModelSessionsRequest, context):
        records, token = await self._model_sessions.list(
            current_caller(), request.project_id, request.page_size, request.page_token,
            states=convert.list_states(request), dataset_id=request.dataset_id,
            category=convert.enum_from_proto(SessionCategory, request.category, "category"),
            view=convert.enum_from_proto(SessionView, request.view, "view"),
        )
        return pb.ListModelSessionsResponse(
            model_sessions=[convert.model_session_to_proto(record) for record in records],
            next_page_token=token)

    async def UpdateModelSession(self, request: pb.UpdateModelSessionRequest, context):
        record = await self._model_sessions.update(
            current_caller(), request.model_session.id, convert.model_session_changes(request))
        return pb.UpdateModelSessionResponse(
            model_session=convert.model_session_to_proto(record))

    async def DeleteModelSession(self, request: pb.DeleteModelSessionRequest, context):
        await self._model_sessions.delete(current_caller(), request.model_session_id)
        return pb.DeleteModelSessionResponse()

    async def AddModelSessionRegistryEntries(
            self, request: pb.AddModelSessionRegistryEntriesRequest, context):
        record = await self._model_sessions.add_registry_entries(
            current_caller(), request.model_session_id,
            convert.build_log_entries_from_proto(request.build_logs), dict(request.metrics))
        return pb.AddModelSessionRegistryEntriesResponse(
            model_session=convert.model_session_to_proto(record))

    async def WatchModelSession(self, request: pb.WatchModelSessionRequest, context):
        async for event in self._model_sessions.watch(
                current_caller(), request.model_session_id, request.after_sequence,
                heartbeat_seconds(request, DEFAULT_HEARTBEAT_SECONDS)):
            yield convert.model_session_watch_response(event, pb.WatchModelSessionResponse)

    async def WatchModelSessions(self, request: pb.WatchModelSessionsRequest, context):
        async for event in self._model_sessions.watch_project(
                current_caller(), request.project_id, request.after_sequence,
                heartbeat_seconds(request, DEFAULT_HEARTBEAT_SECONDS)):
            yield convert.model_session_watch_response(event, pb.WatchModelSessionsResponse)

    async def CreateBuiltModel(self, request: pb.CreateBuiltModelRequest, context):
        row = await self._model_sessions.create_model(
            current_caller(), request.project_id,
            convert.built_model_draft_from_proto(request.built_model), request.request_id)
        return pb.CreateBuiltModelResponse(built_model=convert.built_model_to_proto(row))

    async def GetBuiltModel(self, request: pb.GetBuiltModelRequest, context):
        row = await self._model_sessions.get_model(current_caller(), request.built_model_id)
        return pb.GetBuiltModelResponse(built_model=convert.built_model_to_proto(row))

    async def ListBuiltModels(self, request: pb.ListBuiltModelsRequest, context):
        rows, token = await self._model_sessions.list_models(
            current_caller(), request.project_id, request.page_size, request.page_token,
            session_id=request.model_session_id, detached_only=request.detached_only,
            states=convert.list_states(request), dataset_id=request.dataset_id,
        )
        return pb.ListBuiltModelsResponse(
            built_models=[convert.built_model_to_proto(row) for row in rows],
            next_page_token=token)

    async def UpdateBuiltModel(self, request: pb.UpdateBuiltModelRequest, context):
        row = await self._model_sessions.update_model(
            current_caller(), request.built_model.id, convert.built_model_changes(request))
        return pb.UpdateBuiltModelResponse(built_model=convert.built_model_to_proto(row))

    async def DeleteBuiltModel(self, request: pb.DeleteBuiltModelRequest, context):
        await self._model_sessions.delete_model(current_caller(), request.built_model_id)
        return pb.DeleteBuiltModelResponse()
    # -- experiments -----------------------------------------------------------------------

    async def CreateExperiment(self, request: pb.CreateExperimentRequest, context):
        row = await self._experiments.create_experiment(
            current_caller(), request.project_id, request.experiment.name,
            request.experiment.description, request.request_id)
        return pb.CreateExperimentResponse(experiment=convert.experiment_to_proto(row))

    async def GetExperiment(self, request: pb.GetExperimentRequest, context):
        row = await self._experiments.get_experiment(current_caller(), request.experiment_id)
        return pb.GetExperimentResponse(experiment=convert.experiment_to_proto(row))

    async def ListExperiments(self, request: pb.ListExperimentsRequest, context):
        rows, token = await self._experiments.list_experiments(
            current_caller(), request.project_id, request.page_size, request.page_token)
        return pb.ListExperimentsResponse(
            experiments=[convert.experiment_to_proto(row) for row in rows],
            next_page_token=token)

    async def UpdateExperiment(self, request: pb.UpdateExperimentRequest, context):
        row = await self._experiments.update_experiment(
            current_caller(), request.experiment.id, convert.experiment_changes(request))
        return pb.UpdateExperimentResponse(experiment=convert.experiment_to_proto(row))

    async def DeleteExperiment(self, request: pb.DeleteExperimentRequest, context):
        await self._experiments.delete_experiment(current_caller(), request.experiment_id)
        return pb.DeleteExperimentResponse()

    async def CreateExperimentModel(self, request: pb.CreateExperimentModelRequest, context):
        model = request.experiment_model
        row = await self._experiments.create_model(
            current_caller(), request.experiment_id, model.hash, model.name, model.description,
            model.step if model.HasField("step") else None, request.request_id)
        return pb.CreateExperimentModelResponse(
            experiment_model=convert.experiment_model_to_proto(row))

    async def GetExperimentModel(self, request: pb.GetExperimentModelRequest, context):
        row = await self._experiments.get_model(current_caller(), request.experiment_model_id)
        return pb.GetExperimentModelResponse(
            experiment_model=convert.experiment_model_to_proto(row))

    async def GetExperimentModelByHash(self, request: pb.GetExperimentModelByHashRequest,
                                       context):
        row = await self._experiments.get_model_by_hash(
            current_caller(), request.experiment_id, request.hash)
        return pb.GetExperimentModelByHashResponse(
            experiment_model=convert.experiment_model_to_proto(row))

    async def ListExperimentModels(self, request: pb.ListExperimentModelsRequest, context):
        rows, token = await self._experiments.list_models(
            current_caller(), request.experiment_id, request.page_size, request.page_token)
        return pb.ListExperimentModelsResponse(
            experiment_models=[convert.experiment_model_to_proto(row) for row in rows],
            next_page_token=token)

    async def UpdateExperimentModel(self, request: pb.UpdateExperimentModelRequest, context):
        model = request.experiment_model
        row = await self._experiments.update_model(
            current_caller(), model.id, convert.experiment_model_changes(request),
            experiment_id=model.experiment_id, hash=model.hash)
        return pb.UpdateExperimentModelResponse(
            experiment_model=convert.experiment_model_to_proto(row))

    async def DeleteExperimentModel(self, request: pb.DeleteExperimentModelRequest, context):
        await self._experiments.delete_model(current_caller(), request.experiment_model_id)
        return pb.DeleteExperimentModelResponse()

    async def CreateIteration(self, request: pb.CreateIterationRequest, context):
        row = await self._experiments.create_iteration(
            current_caller(), request.model_id, **convert.iteration_from_proto(request.iteration),
            request_id=request.request_id)
        return pb.CreateIterationResponse(iteration=convert.iteration_to_proto(row))

    async def ListIterations(self, request: pb.ListIterationsRequest, context):
        rows, token = await self._experiments.list_iterations(
            current_caller(), request.model_id,
            convert.enum_from_proto(Phase, request.phase, "phase"),
            request.page_size, request.page_token)
        return pb.ListIterationsResponse(
            iterations=[convert.iteration_to_proto(row) for row in rows], next_page_token=token)

    async def LogMetrics(self, request_iterator, context):
        async def messages():
            async for message in request_iterator:
                yield convert.metric_points_from_proto(message.metric_points)

        logged = await self._experiments.log_metrics(current_caller(), messages())
        return pb.LogMetricsResponse(point_count=logged.points, message_count=logged.messages,
                                     model_count=logged.models)

    async def AppendMetrics(self, request: pb.AppendMetricsRequest, context):
        count = await self._experiments.append_metrics(
            current_caller(), convert.metric_points_from_proto(request.metric_points))
        return pb.AppendMetricsResponse(point_count=count)

    async def ListMetrics(self, request: pb.ListMetricsRequest, context):
        rows, token = await self._experiments.list_metrics(
            current_caller(), request.model_id, request.name,
            convert.enum_from_proto(Phase, request.phase, "phase"),
            request.page_size, request.page_token)
        return pb.ListMetricsResponse(
            metric_points=[convert.metric_point_to_proto(row) for row in rows],
            next_page_token=token)

    async def AddModules(self, request: pb.AddModulesRequest, context):
        rows = await self._experiments.add_modules(
            current_caller(), request.model_id, convert.modules_from_proto(request.modules))
        return pb.AddModulesResponse(modules=[convert.module_to_proto(row) for row in rows])

    async def ListModules(self, request: pb.ListModulesRequest, context):
        rows, token = await self._experiments.list_modules(
            current_caller(), request.model_id, request.page_size, request.page_token)
        return pb.ListModulesResponse(modules=[convert.module_to_proto(row) for row in rows],
                                      next_page_token=token)
