package io.rebill.cli.demo;

import io.rebill.money.Micros;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.stream.Collectors;

/** Prints a {@link UsageReport} as text tables, amounts exact to the micro-unit. */
public final class UsageReportPrinter {

    private static final String ROW = "  %-13s %-12s %7s %11s %16s %18s %16s %16s%n";

    private UsageReportPrinter() {
    }

    public static void print(UsageReport report, PrintWriter out) {
        out.printf("%,d CDRs: %,d charged, %,d not billable (unanswered or 0 s), %,d rejected%s%n",
                report.cdrsSent(), report.charged(), report.notBillable(), report.rejected(),
                report.rejectedByReason().isEmpty() ? "" : " " + report.rejectedByReason());
        for (UsageReport.WorkspaceSection workspace : report.workspaces()) {
            out.println();
            out.printf("Workspace %s — workspace wallet %s %s%n", workspace.workspaceId(), workspace.currency(),
                    Micros.format(workspace.balanceMicros()));
            out.printf(ROW, "Sub-account", "Re-billed", "Calls", "Minutes", "You pay", "Sub-account pays",
                    "Profit", "Balance");
            for (UsageReport.SubAccountLine line : workspace.subAccounts()) {
                out.printf(ROW, line.subAccountId(), rebilling(line), String.format("%,d", line.calls()),
                        minutes(line.billedSeconds()), Micros.format(line.costMicros()),
                        line.rebilled() ? Micros.format(line.priceMicros()) : "-",
                        line.rebilled() ? Micros.format(line.profitMicros()) : "-",
                        line.rebilled() ? Micros.format(line.balanceMicros()) : "-");
            }
            out.printf(ROW, "total", "", String.format("%,d", workspace.calls()), minutes(workspace.billedSeconds()),
                    Micros.format(workspace.costMicros()), Micros.format(workspace.priceMicros()),
                    Micros.format(workspace.priceMicros() - workspace.costMicros()), "");
        }
        out.flush();
    }

    private static String rebilling(UsageReport.SubAccountLine line) {
        if (!line.rebilled()) {
            return "no";
        }
        return line.multipliersBasisPoints().stream()
                .map(bp -> multiplier(bp) + "x")
                .collect(Collectors.joining("/"));
    }

    /** 10500 basis points as "1.05", keeping any finer digits. */
    private static String multiplier(int basisPoints) {
        BigDecimal value = BigDecimal.valueOf(basisPoints, 4).stripTrailingZeros();
        return value.scale() < 2 ? value.setScale(2).toPlainString() : value.toPlainString();
    }

    /** Display only: minutes to two decimals from the exact billed seconds. */
    private static String minutes(long seconds) {
        return String.format("%,.2f", BigDecimal.valueOf(seconds).divide(BigDecimal.valueOf(60), 2, RoundingMode.HALF_UP));
    }
}
