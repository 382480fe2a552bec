package io.steadfast.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.steadfast.web.HealthHistory;
import io.steadfast.web.Reports;
import java.util.Map;

/** What the dashboard's health page reads besides the health report: the inbox over time, and the latest reports. */
final class DashboardApi {
    private final HealthHistory history;
    private final Reports reports;

    DashboardApi(HealthHistory history, Reports reports) {
        this.history = history;
        this.reports = reports;
    }

    void register(RoutesConfig routes) {
        routes.get("/health/history", ctx -> ctx.json(history.json()));
        routes.get("/v1/reports", this::list);
        routes.get("/v1/reports/{kind}/{name}", this::html);
    }

    /** The deployment's chaos and load reports: for the operator, as they describe the deployment, not a business. */
    private void list(Context ctx) {
        Authentication.operator(ctx);
        ctx.json(Map.of("items", reports.latest().stream().map(Reports.Report::json).toList()));
    }

    private void html(Context ctx) {
        Authentication.operator(ctx);
        ctx.contentType("text/html; charset=utf-8").result(reports.html(ctx.pathParam("kind"), ctx.pathParam("name")));
    }
}
