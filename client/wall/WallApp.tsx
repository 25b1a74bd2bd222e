export function WallApp() {
  return <div>wall</div>;
}
