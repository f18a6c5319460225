package dev.stevedore.server.console;

import java.util.ArrayList;
import java.util.List;

/** A line diff of two texts by their longest common subsequence (task definitions are a few hundred lines). */
final class LineDiff {

    enum Kind { SAME, REMOVED, ADDED }

    record Line(Kind kind, String text) {
    }

    private LineDiff() {
    }

    static List<Line> of(List<String> left, List<String> right) {
        int n = left.size();
        int m = right.size();
        int[][] common = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                common[i][j] = left.get(i).equals(right.get(j)) ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<Line> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && left.get(i).equals(right.get(j))) {
                out.add(new Line(Kind.SAME, left.get(i++)));
                j++;
            } else if (i < n && (j == m || common[i + 1][j] >= common[i][j + 1])) {
                out.add(new Line(Kind.REMOVED, left.get(i++)));
            } else {
                out.add(new Line(Kind.ADDED, right.get(j++)));
            }
        }
        return out;
    }
}
